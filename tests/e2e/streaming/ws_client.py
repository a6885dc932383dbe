#!/usr/bin/python3
# An independent WebSocket client (Debian's python3-websocket) for the e2e
# streaming tests. Prints a JSON object {channel: data} once the server closes.
#   ws_client.py exec URL PROTOCOL STDIN   (v5: stdin closed with the 255 signal)
#   ws_client.py portforward URL PROTOCOL DATA EXPECT
# For wss:// URLs the server certificate is verified against $WS_CA.
import json
import os
import sys

import websocket


def main():
    mode, url, proto = sys.argv[1], sys.argv[2], sys.argv[3]
    sslopt = {"ca_certs": os.environ["WS_CA"]} if "WS_CA" in os.environ else None
    ws = websocket.create_connection(url, subprotocols=[proto], timeout=30, sslopt=sslopt)
    channels = {}
    if mode == "exec":
        data = sys.argv[4].encode()
        if data:
            ws.send_binary(b"\x00" + data)
        if proto.startswith("v5."):
            ws.send_binary(b"\xff\x00")
    else:
        ws.send_binary(b"\x00" + sys.argv[4].encode())
    while True:
        try:
            opcode, data = ws.recv_data(control_frame=False)
        except websocket.WebSocketConnectionClosedException:
            break
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            break
        if not data:
            continue
        ch = str(data[0])
        channels[ch] = channels.get(ch, "") + data[1:].decode("latin-1")
        if mode == "portforward" and sys.argv[5] in channels.get("0", ""):
            break
    ws.close()
    print(json.dumps(channels))


main()

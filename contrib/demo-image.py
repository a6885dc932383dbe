#!/usr/bin/env python3
"""Writes an OCI image layout holding a busybox image made from Debian's
busybox-static (nothing is downloaded): demo-image.py LAYOUT_DIR TAG"""
import gzip, hashlib, io, json, os, subprocess, sys, tarfile

layout, tag = sys.argv[1], sys.argv[2]
applets = subprocess.run(["/bin/busybox", "--list"], capture_output=True, text=True, check=True).stdout.split()

def add_file(tar, name, data, mode=0o644):
    info = tarfile.TarInfo(name); info.size = len(data); info.mode = mode
    tar.addfile(info, io.BytesIO(data))

raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
    for d in ["bin", "etc", "tmp", "root", "proc", "sys", "dev"]:
        info = tarfile.TarInfo(d); info.type = tarfile.DIRTYPE; info.mode = 0o1777 if d == "tmp" else 0o755
        tar.addfile(info)
    add_file(tar, "bin/busybox", open("/bin/busybox", "rb").read(), 0o755)
    for a in applets:
        if a == "busybox": continue
        info = tarfile.TarInfo("bin/" + a); info.type = tarfile.SYMTYPE; info.linkname = "busybox"
        tar.addfile(info)
    add_file(tar, "etc/passwd", b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n")
    add_file(tar, "etc/group", b"root:x:0:\nnogroup:x:65534:\n")
layer_raw = raw.getvalue()
layer_gz = gzip.compress(layer_raw, mtime=0)

def blob(data):
    digest = hashlib.sha256(data).hexdigest()
    os.makedirs(f"{layout}/blobs/sha256", exist_ok=True)
    open(f"{layout}/blobs/sha256/{digest}", "wb").write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}

config = {"architecture": "amd64", "os": "linux",
          "config": {"Env": ["PATH=/bin"], "Cmd": ["sh"], "WorkingDir": "/"},
          "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(layer_raw).hexdigest()]}}
cfg = blob(json.dumps(config).encode())
lay = blob(layer_gz)
manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **cfg},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **lay}]}
man = blob(json.dumps(manifest).encode())
index = {"schemaVersion": 2, "manifests": [{"mediaType": manifest["mediaType"], **man,
         "annotations": {"org.opencontainers.image.ref.name": tag}}]}
open(f"{layout}/index.json", "w").write(json.dumps(index))
open(f"{layout}/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')

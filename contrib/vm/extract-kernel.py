#!/usr/bin/env python3
"""Writes the kernel the VM lane boots: extract-kernel.py BZIMAGE OUT.

A bzImage decompresses itself at boot, which takes seconds under TCG. When
the kernel inside has a PVH entry point (Xen's PHYS32_ENTRY ELF note), qemu
boots that ELF directly, so OUT is the decompressed vmlinux; otherwise OUT is
a copy of the bzImage."""
import gzip, lzma, shutil, struct, subprocess, sys

src, out = sys.argv[1], sys.argv[2]
data = open(src, "rb").read()


def payload(image):
    # Boot protocol header: setup_sects at 0x1f1, payload offset/length at 0x248.
    setup_sects = image[0x1F1] or 4
    offset, length = struct.unpack_from("<II", image, 0x248)
    start = (setup_sects + 1) * 512 + offset
    return image[start:start + length]


def decompress(blob):
    if blob.startswith(b"\xfd7zXZ\x00"):
        return lzma.LZMADecompressor(lzma.FORMAT_XZ).decompress(blob)
    if blob.startswith(b"\x1f\x8b"):
        return gzip.GzipFile(fileobj=__import__("io").BytesIO(blob)).read()
    if blob.startswith(b"\x28\xb5\x2f\xfd") and shutil.which("zstd"):
        return subprocess.run(["zstd", "-qdc"], input=blob, capture_output=True).stdout
    if blob.startswith(b"\x5d\x00\x00"):
        return lzma.LZMADecompressor(lzma.FORMAT_ALONE).decompress(blob)
    return b""


def has_pvh_note(elf):
    if elf[:4] != b"\x7fELF" or elf[4] != 2:
        return False
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", elf, phoff + i * phentsize)
        if p_type != 4:  # PT_NOTE
            continue
        pos, end = p_offset, p_offset + p_filesz
        while pos + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", elf, pos)
            name = elf[pos + 12:pos + 12 + namesz].rstrip(b"\0")
            if name == b"Xen" and ntype == 18:  # XEN_ELFNOTE_PHYS32_ENTRY
                return True
            pos += 12 + (namesz + 3) // 4 * 4 + (descsz + 3) // 4 * 4
    return False


try:
    vmlinux = decompress(payload(data))
except (lzma.LZMAError, OSError, struct.error):
    vmlinux = b""
if vmlinux and has_pvh_note(vmlinux):
    open(out, "wb").write(vmlinux)
    print(f"extract-kernel.py: {src}: vmlinux with a PVH entry ({len(vmlinux)} bytes)", file=sys.stderr)
else:
    shutil.copyfile(src, out)
    print(f"extract-kernel.py: {src}: no PVH entry found, booting the bzImage", file=sys.stderr)

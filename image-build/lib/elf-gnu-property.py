#!/usr/bin/env python3
"""Points an ELF64 little-endian file's PT_GNU_PROPERTY program header at its .note.gnu.property section.

patchelf 0.14 (Debian 12) moves .note.gnu.property when it relocates sections to grow the program header table
(--set-interpreter, --set-rpath), updates the PT_NOTE header but leaves PT_GNU_PROPERTY at the old offset, which
then points into the program header table. Linux (binfmt_elf, arm64 BTI) and qemu-user refuse to execute such a
file. patchelf 0.15 fixed this upstream by doing what this script does; Debian 12 has only 0.14.

    elf-gnu-property.py FILE...     exit 0 when each file is (or now is) consistent, 1 on a file it cannot fix
"""
import struct
import sys

PT_GNU_PROPERTY = 0x6474E553
PT_LOAD = 1


def fix(path):
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise ValueError("not an ELF64 little-endian file")
        phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
        phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", data, 0x36)
        names_off = struct.unpack_from("<Q", data, shoff + shstrndx * shentsize + 0x18)[0]
        section = None
        for i in range(shnum):
            sh = shoff + i * shentsize
            name_idx = struct.unpack_from("<I", data, sh)[0]
            name = data[names_off + name_idx:data.index(b"\0", names_off + name_idx)].decode()
            if name == ".note.gnu.property":
                addr, off, size = struct.unpack_from("<QQQ", data, sh + 0x10)
                section = (off, addr, size)
        headers = [phoff + i * phentsize for i in range(phnum)]
        props = [ph for ph in headers if struct.unpack_from("<I", data, ph)[0] == PT_GNU_PROPERTY]
        if not props:
            return "no PT_GNU_PROPERTY"
        if section is None:
            raise ValueError("PT_GNU_PROPERTY but no .note.gnu.property section")
        off, addr, size = section
        # The note must be loaded: inside one PT_LOAD segment, at the same file offset - vaddr relation.
        loaded = False
        for ph in headers:
            if struct.unpack_from("<I", data, ph)[0] != PT_LOAD:
                continue
            p_off, p_vaddr = struct.unpack_from("<QQ", data, ph + 8)
            p_filesz = struct.unpack_from("<Q", data, ph + 0x20)[0]
            if p_off <= off and off + size <= p_off + p_filesz and addr - p_vaddr == off - p_off:
                loaded = True
        if not loaded:
            raise ValueError(".note.gnu.property is not inside a PT_LOAD segment")
        ph = props[0]
        current = struct.unpack_from("<QQQQQ", data, ph + 8)
        wanted = (off, addr, addr, size, size)
        if current == wanted:
            return "consistent"
        struct.pack_into("<QQQQQ", data, ph + 8, *wanted)
        f.seek(0)
        f.write(data)
        return "PT_GNU_PROPERTY moved from 0x%x to 0x%x" % (current[0], off)


def main(paths):
    status = 0
    for p in paths:
        try:
            print("%s: %s" % (p, fix(p)))
        except (ValueError, OSError, struct.error) as e:
            print("%s: %s" % (p, e), file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

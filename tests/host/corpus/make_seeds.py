#!/usr/bin/env python3
"""Writes the seed corpora for fuzz-proto and fuzz-host from proto.h's op
list: one valid request and one valid reply per op (proto), and a few
request sequences a guest would send (host).  Run from tests/host."""
import re, struct, os

src = open('../../proto/proto.h').read()
ops = re.findall(r'X\((\w+), (0x[0-9a-f]+), ("[^"]*"|PROTO_FILESTAT), ("[^"]*"|PROTO_FILESTAT)\)', src)
W = {'b': '<B', 'h': '<H', 'w': '<I', 'q': '<Q'}

def fmt(f):
    return 'qqbqqqqq' if f == 'PROTO_FILESTAT' else f.strip('"')

def payload(f, vals, strs):
    out, vi, si = b'', 0, 0
    for c in f:
        if c == 's':
            s = strs[si]; si += 1
            out += struct.pack('<I', len(s)) + s
        else:
            out += struct.pack(W[c], vals[vi]); vi += 1
    return out

def frame(op, f, vals, strs, resp=False, ident=1):
    p = payload(f, vals, strs)
    return struct.pack('<IHHII', len(p), op, 1 if resp else 0, ident, 0) + p

os.makedirs('corpus/proto', exist_ok=True)
os.makedirs('corpus/host', exist_ok=True)
for name, code, req, resp in ops:
    code = int(code, 16)
    for kind, f in (('req', fmt(req)), ('resp', fmt(resp))):
        vals = [1] * len(f)
        strs = [b'a/b'] * len(f)
        data = frame(code, f, vals, strs, kind == 'resp')
        open('corpus/proto/%s-%s' % (name.lower(), kind), 'wb').write(data)

def op(name):
    for n, c, rq, rs in ops:
        if n == name:
            return int(c, 16), fmt(rq)
    raise KeyError(name)

def req(name, vals, strs=()):
    c, f = op(name)
    return frame(c, f, vals, list(strs))

RW = (1 << 1) | (1 << 6) | (1 << 2) | (1 << 5) | (1 << 21) | (1 << 22)
DIR = (1 << 14) | (1 << 13)
seqs = {
    'write-read': [req('OPEN', [0, 1, 1 | 8, RW, 0, 0], [b'f']),
                   req('WRITE', [1], [b'hello']),
                   req('SEEK', [1, 0, 0]), req('READ', [1, 100]),
                   req('FILESTAT_GET', [1]), req('CLOSE', [1])],
    'dirs': [req('PATH_CREATE_DIRECTORY', [0], [b'd']),
             req('OPEN', [0, 1, 2, DIR, 0, 0], [b'd']),
             req('READDIR', [1, 0, 4096]),
             req('PATH_REMOVE_DIRECTORY', [0], [b'd'])],
    'links': [req('PATH_SYMLINK', [0], [b'x', b'l']),
              req('PATH_READLINK', [0, 64], [b'l']),
              req('PATH_LINK', [0, 0, 0], [b'l', b'l2']),
              req('PATH_RENAME', [0, 0], [b'l2', b'l3']),
              req('PATH_UNLINK_FILE', [0], [b'l3']),
              req('PATH_FILESTAT_GET', [0, 0], [b'l'])],
}
for name, frames in seqs.items():
    open('corpus/host/' + name, 'wb').write(b''.join(frames))

#!/usr/bin/env python3
"""Mewz adapter for WebAssembly/wasi-testsuite's test runner.

The runner has had two adapter interfaces; this file offers both:
  module:  get_name(), get_version(), get_wasi_versions(),
           compute_argv(test_path, (args, env, dirs), proposals, wasi_version)
  command: mewz.py --version
           mewz.py --test-file T.wasm [--arg A]... [--env K=V]... [--dir D]...
Each test becomes `mewz run [options] --share HOST:GUEST... --env K=V...
T.wasm -- ARGS...`: a VM under QEMU whose files come from mewz-host.

Environment: MEWZ, the mewz command (default: build/bin/mewz of the tree
this file is in); MEWZ_ADAPTER_ARGS, more `mewz run` options, split like a
shell would (e.g. "--native", "--accel kvm").
"""
import os
import shlex
import subprocess
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_DEFAULT_MEWZ = os.path.join(_HERE, "..", "..", "build", "bin", "mewz")


def _mewz():
    return shlex.split(os.getenv("MEWZ", _DEFAULT_MEWZ))


def get_name():
    return "mewz"


def get_version():
    out = subprocess.run(_mewz() + ["--version"], capture_output=True,
                         encoding="utf-8", check=True).stdout
    return out.split()[1]


def get_wasi_versions():
    return ["wasm32-wasip1"]


def _share(host, guest):
    # mewz splits --share at ':' (HOST:GUEST[:ro]), so a host path with
    # one in it cannot be named; say so instead of sharing the wrong one.
    if ":" in str(host):
        raise ValueError("mewz: cannot share a host path containing ':': %s" % host)
    return ["--share", "%s:%s" % (host, guest)]


def _argv(test_path, args, env_pairs, shares):
    argv = _mewz() + ["run"] + shlex.split(os.getenv("MEWZ_ADAPTER_ARGS", ""))
    for host, guest in shares:
        argv += _share(host, guest)
    for key, value in env_pairs:
        argv += ["--env", "%s=%s" % (key, value)]
    argv.append(str(test_path))
    if args:
        argv += ["--"] + list(args)
    return argv


def compute_argv(test_path, args_env_dirs, proposals=None, wasi_version=None):
    args, env, dirs = args_env_dirs
    return _argv(test_path, args, env.items(), dirs)


def _dir_pair(spec):
    # The command interface names a directory as it is seen by both
    # sides; wasmtime's HOST::GUEST form is accepted too.
    if "::" in spec:
        host, guest = spec.split("::", 1)
        return host, guest
    return spec, spec


def main(argv):
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--version", action="store_true")
    parser.add_argument("--test-file")
    parser.add_argument("--arg", action="append", default=[])
    parser.add_argument("--env", action="append", default=[])
    parser.add_argument("--dir", action="append", default=[])
    opts = parser.parse_args(argv)
    if opts.version:
        print("%s %s" % (get_name(), get_version()))
        return 0
    if not opts.test_file:
        parser.error("--test-file is required")
    env = [e.split("=", 1) if "=" in e else (e, "") for e in opts.env]
    shares = [_dir_pair(d) for d in opts.dir]
    return subprocess.run(_argv(opts.test_file, opts.arg, env, shares)).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

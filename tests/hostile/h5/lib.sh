# tests/hostile/h5/lib.sh - building the hostile HDF5 files of tests/hostile/h5/*/
# (sourced by tests/e2e/test_hostile_h5.sh and fuzz/seed-h5-corpus.sh).
#
# h5_bases BIN DIR: DIR/base.h5 (tests/bad/base solved, simplex, with duals),
#   DIR/dw.h5 (the same by decomposition) and DIR/base.ckpt (a decomposition
#   stopped after iteration 3 by the test hook CNOPT_TEST_STOP_AFTER).
# h5_case CASEDIR DIR OUT: OUT made from the case's base file as its expect
#   file says (tests/hostile/README.md, section "HDF5 files").
H5PY=${H5PY:-/usr/bin/python3}

h5_bases() { # bin dir
  local bin=$1 dir=$2
  if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
  "$bin" -q solve tests/bad/base/scenario.yaml -o "$dir/base.h5" >/dev/null 2>&1 || return 1
  "$bin" -q solve --method dw tests/bad/base/scenario.yaml -o "$dir/dw.h5" >/dev/null 2>&1 || return 1
  CNOPT_TEST_STOP_AFTER=3 "$bin" -q solve --method dw tests/bad/base/scenario.yaml \
    -o "$dir/ck.h5" >/dev/null 2>&1 || true   # exit 75: stopped, checkpointed
  [ -f "$dir/ck.h5.ckpt" ] && mv "$dir/ck.h5.ckpt" "$dir/base.ckpt"
}

# The value of key KEY of the case's expect file (first line "KEY VALUE").
h5_key() { sed -n "s/^$2 //p" "$1/expect" | head -1; }

h5_case() { # casedir dir out
  local cdir=$1 dir=$2 out=$3 base py
  base=$(h5_key "$cdir" file)
  case "$base" in ckpt) cp "$dir/base.ckpt" "$out" ;; dw) cp "$dir/dw.h5" "$out" ;; *) cp "$dir/base.h5" "$out" ;; esac
  py=$(sed -n 's/^py //p' "$cdir/expect")
  if [ -n "$py" ]; then
    "$H5PY" - "$out" <<PYEOF || return 1
import sys, h5py, numpy as np
path = sys.argv[1]
def patch(old, new, count=1):
    """replace the bytes old by new (same length) in the file, count times"""
    b = bytearray(open(path, 'rb').read())
    at = 0
    for _ in range(count):
        at = b.find(old, at)
        assert at >= 0, old
        b[at:at + len(new)] = new
        at += len(new)
    open(path, 'wb').write(bytes(b))
def heap(name):
    """offset of the first global heap collection holding name"""
    b = open(path, 'rb').read()
    at = b.find(name)
    assert at >= 0
    return b.rfind(b'GCOL', 0, at)
def poke(off, data):
    with open(path, 'r+b') as fp:
        fp.seek(off)
        fp.write(data)
f = None
def h5():
    global f
    if f is None:
        f = h5py.File(path, 'r+')
    return f
def done():
    global f
    if f is not None:
        f.close()
        f = None
$py
done()
PYEOF
  fi
  local sh
  sh=$(sed -n 's/^sh //p' "$cdir/expect")
  if [ -n "$sh" ]; then (F=$out; eval "$sh") || return 1; fi
}

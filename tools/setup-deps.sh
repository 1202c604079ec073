#!/usr/bin/env bash
# Install the Debian packages cnopt needs, calling apt only for what is absent.
# Idempotent, non-interactive; works as root or through sudo for a normal user.
# Usage: tools/setup-deps.sh [--slurm] [--report] [--bench] [--robust] [--check]
#   --slurm   also the Slurm test cluster packages (slurm-wlm, slurm-client, munge)
#   --report  also the Python report/test packages (h5py, numpy, xarray, matplotlib) and
#             the netCDF readers tests/e2e/test_readers.sh checks the result file with
#             (ncdump, netCDF4-python, pandas, R's ncdf4, Octave's netcdf package)
#   --bench   also what `make bench` compares with (CLP) and measures with (GNU time)
#   --robust  also the fuzzing and memcheck tools (clang with libFuzzer's runtime, valgrind)
#   --check   only print what is missing; exit 1 if anything is
set -euo pipefail

core=(build-essential pkg-config libopenmpi-dev openmpi-bin libglpk-dev glpk-utils
      libhdf5-openmpi-dev hdf5-tools libcmocka-dev libmetis-dev libyaml-dev libcsv-dev libssl-dev)
slurm=(slurm-wlm slurm-client munge)
bench=(coinor-clp time)
robust=(clang libclang-rt-14-dev valgrind)
report=(python3-h5py python3-numpy python3-xarray python3-h5netcdf python3-matplotlib
        python3-pandas netcdf-bin python3-netcdf4 r-cran-ncdf4 octave octave-netcdf)

want=("${core[@]}")
check=0
for a in "$@"; do
  case "$a" in
    --slurm) want+=("${slurm[@]}") ;;
    --report) want+=("${report[@]}") ;;
    --bench) want+=("${bench[@]}") ;;
    --robust) want+=("${robust[@]}") ;;
    --check) check=1 ;;
    *) echo "setup-deps: unknown option '$a'" >&2; exit 64 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$check" = 1 ]; then
  echo "setup-deps: missing: ${missing[*]}"
  exit 1
fi

echo "setup-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo -n); else
    echo "setup-deps: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2
    exit 77
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-deps: done" >&2

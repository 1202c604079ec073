#!/usr/bin/env bash
# Install the Debian packages cnopt needs, calling apt only for what is absent.
# Idempotent, non-interactive; works as root or through sudo for a normal user.
# Usage: tools/setup-deps.sh [--slurm] [--report] [--bench] [--robust] [--check]
#   --slurm   also the Slurm test cluster packages (slurm-wlm, slurm-client, munge)
#   --report  also the Python report/test packages (h5py, numpy, xarray, matplotlib, pyproj),
#             the netCDF readers tests/e2e/test_readers.sh checks the result file with
#             (ncdump, netCDF4-python, pandas, R's ncdf4, Octave's netcdf package),
#             chromium (tests/e2e/test_report.sh screenshots report.html with it) and the
#             province outlines of the report's map: map/json/china.json of the npm
#             package echarts 4.9.0 (Apache-2.0), checked against its pinned hashes and
#             installed with its LICENSE and NOTICE into $CNOPT_MAP_DIR (default
#             /usr/local/share/cnopt/map; docs/report.md, "Map")
#   --bench   also what `make bench` compares with (CLP) and measures with (GNU time)
#   --robust  also the fuzzing and memcheck tools (clang with libFuzzer's runtime, valgrind)
#   --check   only print what is missing; exit 1 if anything is
set -euo pipefail

core=(build-essential pkg-config libopenmpi-dev openmpi-bin libglpk-dev glpk-utils
      libhdf5-openmpi-dev hdf5-tools libcmocka-dev libmetis-dev libyaml-dev libcsv-dev libssl-dev)
slurm=(slurm-wlm slurm-client munge)
bench=(coinor-clp coinor-cbc time)
robust=(clang libclang-rt-14-dev valgrind)
report=(python3-h5py python3-numpy python3-xarray python3-h5netcdf python3-matplotlib
        python3-pandas netcdf-bin python3-netcdf4 r-cran-ncdf4 octave octave-netcdf
        python3-pyproj chromium)
# the map's province outlines (--report): one file of an npm package, pinned by version,
# by the registry's sha512 of the package and by the sha256 of the file itself
map_pkg=echarts@4.9.0
map_integrity='sha512-+ugizgtJ+KmsJyyDPxaw2Br5FqzuBnyOWwcxPKO6y0gc5caYcfnEUIlNStx02necw8jmKmTafmpHhGo4XDtEIA=='
map_sha256=d392f651a48e6213c9bfc83f406711069de296c17f426cffc0ad1148078ee226
map_dir=${CNOPT_MAP_DIR:-/usr/local/share/cnopt/map}
want_map=0

want=("${core[@]}")
check=0
for a in "$@"; do
  case "$a" in
    --slurm) want+=("${slurm[@]}") ;;
    --report) want+=("${report[@]}"); want_map=1
              # npm fetches the map; any npm will do (Debian's, or the one of nodejs)
              command -v npm >/dev/null 2>&1 || want+=(npm) ;;
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

map_ok() {
  [ -f "$map_dir/china.json" ] && [ -f "$map_dir/LICENSE" ] &&
    [ "$(sha256sum "$map_dir/china.json" | cut -d' ' -f1)" = "$map_sha256" ]
}
need_map=0
if [ "$want_map" = 1 ] && ! map_ok; then need_map=1; fi

if [ ${#missing[@]} -eq 0 ] && [ "$need_map" = 0 ]; then
  exit 0
fi
if [ "$check" = 1 ]; then
  gone=("${missing[@]}")
  if [ "$need_map" = 1 ]; then gone+=("$map_dir/china.json ($map_pkg)"); fi
  echo "setup-deps: missing: ${gone[*]}"
  exit 1
fi

install_map() {
  local t
  t=$(mktemp -d)
  echo "setup-deps: installing $map_dir/china.json from npm $map_pkg" >&2
  if ! (cd "$t" && npm pack --silent "$map_pkg" >/dev/null); then
    echo "setup-deps: npm pack $map_pkg failed" >&2; rm -rf "$t"; exit 69
  fi
  local tgz got
  tgz=$(ls "$t"/*.tgz)
  got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  if [ "$got" != "$map_integrity" ]; then
    echo "setup-deps: $map_pkg: integrity $got, expected $map_integrity" >&2; rm -rf "$t"; exit 69
  fi
  tar -xzf "$tgz" -C "$t" package/map/json/china.json package/LICENSE package/NOTICE
  if [ "$(sha256sum "$t/package/map/json/china.json" | cut -d' ' -f1)" != "$map_sha256" ]; then
    echo "setup-deps: $map_pkg: map/json/china.json has an unexpected sha256" >&2; rm -rf "$t"; exit 69
  fi
  "${sudo_cmd[@]}" mkdir -p "$map_dir"
  for f in map/json/china.json LICENSE NOTICE; do
    "${sudo_cmd[@]}" install -m 0644 "$t/package/$f" "$map_dir/$(basename "$f")"
  done
  echo "$map_pkg (https://echarts.apache.org, Apache-2.0): map/json/china.json, LICENSE, NOTICE" |
    "${sudo_cmd[@]}" tee "$map_dir/SOURCE" >/dev/null
  rm -rf "$t"
}

sudo_cmd=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo -n); else
    echo "setup-deps: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2
    exit 77
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-deps: installing ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ "$need_map" = 1 ]; then install_map; fi
echo "setup-deps: done" >&2

"""Province outlines of China and the map projection (docs/report.md, "Map").

The outlines are map/json/china.json of Apache ECharts 4.9.0 (npm package `echarts`,
Apache-2.0), installed by `tools/setup-deps.sh --report` into $CNOPT_MAP_DIR
(default /usr/local/share/cnopt/map) with the package's LICENSE and NOTICE.  That
file stores each ring in ECharts' compact "UTF8Encoding": per vertex two characters,
code - 64, zigzag-decoded, delta-coded from the ring's encodeOffsets, in units of
1/UTF8Scale degree (ECharts src/coord/geo/parseGeoJson.js, decodePolygon).

Projection: Albers equal-area conic with standard parallels 25N and 47N about 105E
(the usual one for maps of all of China), through pyproj; map units are km."""

import json
import os

import numpy as np

MAP_DIR_DEFAULT = "/usr/local/share/cnopt/map"
MAP_FILE = "china.json"
MAP_SOURCE = "Apache ECharts 4.9.0, map/json/china.json (npm echarts@4.9.0, Apache-2.0)"
PROJ = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +ellps=WGS84 +units=km"


def map_path():
    return os.path.join(os.environ.get("CNOPT_MAP_DIR", MAP_DIR_DEFAULT), MAP_FILE)


def _decode_ring(s, offsets, scale):
    c = np.frombuffer(s.encode("utf-32-le"), dtype="<u4").astype(np.int64) - 64
    if len(c) % 2:
        raise ValueError("ring of odd length %d" % len(c))
    z = (c >> 1) ^ -(c & 1)                     # zigzag
    xy = z.reshape(-1, 2)
    xy[0] += np.asarray(offsets, np.int64)
    return np.cumsum(xy, axis=0) / float(scale)  # delta -> degrees (lon, lat)


def load_provinces(path=None):
    """[(name, id, [ring (n, 2) lon/lat arrays])] of the provinces, or raise OSError /
    ValueError for a missing or malformed file."""
    path = path or map_path()
    with open(path, encoding="utf-8") as fh:
        js = json.load(fh)
    enc = bool(js.get("UTF8Encoding"))
    scale = js.get("UTF8Scale") or 1024
    out = []
    for ft in js["features"]:
        g = ft.get("geometry")
        if not g:
            continue
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        offs = g.get("encodeOffsets")
        if g["type"] == "Polygon" and offs is not None:
            offs = [offs]
        rings = []
        for i, poly in enumerate(polys):
            for j, ring in enumerate(poly):
                if enc:
                    rings.append(_decode_ring(ring, offs[i][j], scale))
                else:
                    rings.append(np.asarray(ring, float))
        p = ft.get("properties", {})
        out.append((p.get("name", ""), str(ft.get("id", p.get("id", ""))), rings))
    if not out:
        raise ValueError("%s has no features" % path)
    return out


_T = None


def project(lon, lat):
    """(x, y) in km of the Albers projection, for arrays of degrees."""
    global _T
    if _T is None:
        import pyproj
        _T = pyproj.Transformer.from_crs("EPSG:4326", PROJ, always_xy=True)
    x, y = _T.transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.asarray(x, float), np.asarray(y, float)

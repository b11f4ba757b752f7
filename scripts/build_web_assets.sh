#!/usr/bin/env bash
# Rebuild the third-party assets of the web page from npm packages, by hand when updating them; the results are
# committed, so neither the tests nor `dateline serve` need npm or a network:
#   src/dateline/web/static/world-110m.json  world outline from world-atlas (ISC; Natural Earth 1:110m land, public domain)
#   src/dateline/web/static/swagger/          Swagger UI for /docs from swagger-ui-dist (Apache-2.0)
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${WORLD_ATLAS_VERSION:-2.0.2}"
SWAGGER="${SWAGGER_UI_VERSION:-5.35.0}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "world-atlas@$VERSION" >/dev/null && tar xzf "world-atlas-$VERSION.tgz")
mkdir -p "$tmp/sw" src/dateline/web/static/swagger
(cd "$tmp/sw" && npm pack --silent "swagger-ui-dist@$SWAGGER" >/dev/null && tar xzf "swagger-ui-dist-$SWAGGER.tgz")
for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE favicon-32x32.png; do
  cp "$tmp/sw/package/$f" src/dateline/web/static/swagger/
done
sed -i '/sourceMappingURL/d' src/dateline/web/static/swagger/swagger-ui-bundle.js src/dateline/web/static/swagger/swagger-ui.css
echo "swagger-ui-dist $SWAGGER" > src/dateline/web/static/swagger/VERSION
PY="${PYTHON:-.venv/bin/python}"
"$PY" - "$tmp/package/land-110m.json" src/dateline/web/static/world-110m.json "$VERSION" <<'PYEOF'
"""TopoJSON land → {"rings": [[lon, lat, lon, lat, ...], ...]} rounded to 0.1 degree (a compact polygon list)."""
import json
import sys

src, dst, version = sys.argv[1:4]
topo = json.load(open(src))
(sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
arcs = []
for arc in topo["arcs"]:
    x = y = 0
    pts = []
    for dx, dy in arc:
        x += dx
        y += dy
        pts.append((round(x * sx + tx, 1), round(y * sy + ty, 1)))
    arcs.append(pts)


def ring(indices):
    out = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts[1:] if out else pts)
    flat = []
    for p in out:
        if not flat or (flat[-2], flat[-1]) != p:
            flat.extend(p)
    return flat


def unwrap(flat):
    """Longitudes made continuous across the antimeridian (a ring may then reach past ±180)."""
    out = flat[:2]
    for i in range(2, len(flat), 2):
        lon = flat[i]
        while lon - out[-2] > 180:
            lon -= 360
        while lon - out[-2] < -180:
            lon += 360
        out.extend((round(lon, 1), flat[i + 1]))
    return out


rings = []
for geom in topo["objects"]["land"]["geometries"]:
    polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
    for poly in polys:
        for r in poly:
            flat = unwrap(ring(r))
            if len(flat) < 8:
                continue
            rings.append(flat)
            lons = flat[0::2]
            for shift in ((360,) if min(lons) < -180 else ()) + ((-360,) if max(lons) > 180 else ()):
                rings.append([round(v + shift, 1) if i % 2 == 0 else v for i, v in enumerate(flat)])
meta = {"source": f"world-atlas {version} land-110m.json (ISC); Natural Earth 1:110m land, public domain",
        "rings": rings}
with open(dst, "w") as fh:
    json.dump(meta, fh, separators=(",", ":"))
print(dst, len(rings), "rings")
PYEOF

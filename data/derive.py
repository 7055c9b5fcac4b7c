"""Derive the crate's zone files from ../shared/data/boundaries (Natural Earth, public domain).

Only properties are added (`id`, `name`, `kind`); coordinates are copied unchanged
(Python's float repr round-trips every f64 exactly). Run from the repository root:
    python3 data/derive.py ../shared/data/boundaries
"""
import json
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/boundaries"


def rewrite(name, out, props_of):
    with open(f"{src}/{name}") as f:
        doc = json.load(f)
    for feat in doc["features"]:
        feat["properties"] = {**props_of(feat["properties"]), **feat["properties"]}
    with open(f"data/{out}", "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


rewrite("ukraine-admin1-ne10m.geojson", "ukraine-oblasts.geojson",
        lambda p: {"id": p["iso_3166_2"], "name": p["name_en"], "kind": "sanctuary"})
rewrite("ukraine-outline-ne10m.geojson", "ukraine-outline.geojson",
        lambda p: {"id": "UA", "name": "Ukraine", "kind": "sanctuary"})
rewrite("neighbours-ne10m.geojson", "neighbours.geojson",
        lambda p: {"id": p["iso_a3"], "name": p["name"], "kind": "exclusion"})

"""SedonaDB's containment join of an archive's points with the oblasts, for comparison.

Usage: python3 sedona_join.py OBLASTS.geojson ARCHIVE.parquet [REPS]
Prints `seconds S` (the median over REPS runs) and the matched count.
"""
import json
import statistics
import sys
import time

import csv
import os
import tempfile
import sedonadb


def ring_wkt(ring):
    return "(" + ", ".join(f"{x!r} {y!r}" for x, y, *_ in ring) + ")"


def to_wkt(geometry):
    if geometry["type"] == "Polygon":
        return "POLYGON (" + ", ".join(ring_wkt(r) for r in geometry["coordinates"]) + ")"
    if geometry["type"] == "MultiPolygon":
        return "MULTIPOLYGON (" + ", ".join(
            "(" + ", ".join(ring_wkt(r) for r in p) + ")" for p in geometry["coordinates"]) + ")"
    raise ValueError(geometry["type"])


def main():
    oblasts, archive = sys.argv[1], sys.argv[2]
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    with open(oblasts) as f:
        features = json.load(f)["features"]
    names = [str(f["properties"].get("id") or f["properties"].get("name") or i) for i, f in enumerate(features)]
    wkts = [to_wkt(f["geometry"]) for f in features]
    sd = sedonadb.connect()
    folder = tempfile.mkdtemp()
    zones_csv = os.path.join(folder, "zones.csv")
    with open(zones_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["zone", "wkt"])
        w.writerows(zip(names, wkts))
    sd.sql(f"CREATE EXTERNAL TABLE zones_raw STORED AS CSV LOCATION '{zones_csv}' OPTIONS ('has_header' 'true')").execute()
    sd.sql("SELECT zone, ST_SetSRID(ST_GeomFromWKT(wkt), 4326) AS geom FROM zones_raw").to_memtable().to_view("zones")
    sd.read_parquet(archive).to_view("tracks")
    query = """
        SELECT t.id, z.zone FROM tracks t JOIN zones z
        ON ST_Contains(z.geom, ST_SetSRID(ST_Point(t.lon, t.lat), 4326))
    """
    times, matched = [], None
    for _ in range(reps):
        start = time.perf_counter()
        matched = sd.sql(query).count()
        times.append(time.perf_counter() - start)
    print(f"seconds {statistics.median(times)}")
    print(f"sedonadb matched {matched} points in an oblast")


main()

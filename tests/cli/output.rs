//! Successful runs: the output header, one row per input row in input order, and the
//! inside / boundary / nearest_zone / distance_m values for known points.

use crate::support::{data, expected_row, index_of, locate, locate_csv, oblasts, TempFile, HEADER};

/// The Lviv / Ternopil border vertex and the Kyiv city vertex (the hole of UA-32), exact,
/// as in `data/ukraine-oblasts.geojson` (see `data/sample-points.csv`).
const UA46_UA61: (&str, &str) = ("24.719762810805037", "49.51025991476325");
const UA30_UA32: (&str, &str) = ("30.753676885180084", "50.2891579715631");
const UA07_UA46_UA56: (&str, &str) = ("25.06346276239657", "50.29481151014306");

/// Columns of one output row, by name.
fn fields(row: &[String]) -> (&str, &str, &str, &str, &str) {
    (&row[0], &row[1], &row[2], &row[3], &row[4])
}

#[test]
fn header_and_one_row_per_input_row_in_input_order() {
    let (run, _f) =
        locate_csv("id,lon,lat\nz,24.03,49.84\na,30.52,50.45\nz,21.0122,52.2297\nm,36.2304,49.9935\n");
    let rows = run.ok_rows();
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["z", "a", "z", "m"]);
    assert!(rows.iter().all(|r| r.len() == 5));
    assert!(run.stdout.starts_with(&format!("{HEADER}\n")));
}

#[test]
fn lviv_is_inside_lviv_oblast() {
    let (run, _f) = locate_csv("id,lon,lat\nlviv,24.03,49.84\n");
    let rows = run.ok_rows();
    let (id, inside, boundary, nearest, distance) = fields(&rows[0]);
    assert_eq!((id, inside, boundary), ("lviv", "UA-46", ""));
    assert!(nearest.starts_with("UA-"), "{nearest}");
    let d: f64 = distance.parse().unwrap();
    assert!(d > 1_000.0 && d < 100_000.0, "{d}");
    assert_eq!(rows[0], expected_row(&index_of(&oblasts()), "lviv", 24.03, 49.84));
}

#[test]
fn shared_border_vertex_is_on_both_boundaries_at_zero_distance() {
    let csv = format!(
        "id,lon,lat\nv2,{},{}\nv3,{},{}\n",
        UA46_UA61.0, UA46_UA61.1, UA07_UA46_UA56.0, UA07_UA46_UA56.1
    );
    let (run, _f) = locate_csv(csv);
    let rows = run.ok_rows();
    assert_eq!(fields(&rows[0]), ("v2", "", "UA-46;UA-61", "UA-46", "0.000"));
    // Three oblasts meet here; the tie on distance 0 goes to the smallest id.
    assert_eq!(
        fields(&rows[1]),
        ("v3", "", "UA-07;UA-46;UA-56", "UA-07", "0.000")
    );
}

#[test]
fn kyiv_city_is_inside_ua30_not_in_the_oblast_around_it() {
    let csv = format!(
        "id,lon,lat\nkyiv,30.52,50.45\nhole-vertex,{},{}\n",
        UA30_UA32.0, UA30_UA32.1
    );
    let (run, _f) = locate_csv(csv);
    let rows = run.ok_rows();
    assert_eq!(rows[0][1], "UA-30");
    assert!(!rows[0][1].contains("UA-32") && rows[0][2].is_empty());
    // The city's outline is the oblast's hole: a vertex of it is on both boundaries.
    assert_eq!(
        fields(&rows[1]),
        ("hole-vertex", "", "UA-30;UA-32", "UA-30", "0.000")
    );
}

#[test]
fn point_in_poland_is_outside_with_a_border_oblast_nearest() {
    let (run, _f) = locate_csv("id,lon,lat\nprzemysl,22.7678,49.7838\n");
    let rows = run.ok_rows();
    let (_, inside, boundary, nearest, distance) = fields(&rows[0]);
    assert_eq!((inside, boundary, nearest), ("", "", "UA-46"));
    let d: f64 = distance.parse().unwrap();
    assert!(d > 1_000.0 && d < 20_000.0, "{d}");
    assert_eq!(
        rows[0],
        expected_row(&index_of(&oblasts()), "przemysl", 22.7678, 49.7838)
    );
}

#[test]
fn extra_columns_and_any_column_order_are_accepted() {
    let plain = locate_csv("id,lon,lat\nlviv,24.03,49.84\nwarsaw,21.0122,52.2297\n")
        .0
        .ok_rows();
    let (run, _f) = locate_csv(
        "note,lat,speed,id,lon\ncity,49.84,3,lviv,24.03\n\"Poland, capital\",52.2297,,warsaw,21.0122\n",
    );
    assert_eq!(run.ok_rows(), plain);
    // Surrounding spaces around coordinates are allowed.
    let (spaced, _g) = locate_csv("id,lon,lat\nlviv, 24.03 , 49.84\n");
    assert_eq!(spaced.ok_rows()[0], plain[0]);
}

#[test]
fn ids_are_copied_verbatim_and_quoted_as_needed() {
    let (run, _f) = locate_csv("id,lon,lat\n\"a, \"\"b\"\"\",24.03,49.84\n,24.03,49.84\n");
    let rows = run.ok_rows();
    assert_eq!(rows[0][0], "a, \"b\"");
    assert_eq!(rows[1][0], "", "an empty id is allowed");
    assert!(run.stdout.contains("\n\"a, \"\"b\"\"\",UA-46,"), "{}", run.stdout);
}

#[test]
fn header_only_points_file_gives_only_the_output_header() {
    let (run, _f) = locate_csv("id,lon,lat\n");
    assert!(run.ok_rows().is_empty());
    assert_eq!(run.stdout, format!("{HEADER}\n"));
}

#[test]
fn empty_zone_set_leaves_nearest_zone_and_distance_empty() {
    let zones = TempFile::new(
        "empty.geojson",
        r#"{"type": "FeatureCollection", "features": []}"#,
    );
    let points = TempFile::new("points.csv", "id,lon,lat\np,24.03,49.84\n");
    let run = locate(zones.path(), points.path());
    assert_eq!(run.stdout, format!("{HEADER}\np,,,,\n"));
    assert_eq!(run.ok_rows().len(), 1);
}

/// Two zones sharing the meridian 25°E, two overlapping boxes listed largest first, and a
/// geodesic circle.
const SYNTHETIC_ZONES: &str = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"id": "west"}, "geometry": {"type": "Polygon",
   "coordinates": [[[20, 48], [25, 48], [25, 50], [20, 50], [20, 48]]]}},
  {"type": "Feature", "properties": {"id": "east"}, "geometry": {"type": "Polygon",
   "coordinates": [[[25, 48], [30, 48], [30, 50], [25, 50], [25, 48]]]}},
  {"type": "Feature", "properties": {"id": "b-big"}, "geometry": {"type": "Polygon",
   "coordinates": [[[10, 40], [14, 40], [14, 44], [10, 44], [10, 40]]]}},
  {"type": "Feature", "properties": {"id": "a-small"}, "geometry": {"type": "Polygon",
   "coordinates": [[[11, 41], [12, 41], [12, 42], [11, 42], [11, 41]]]}},
  {"type": "Feature", "properties": {"id": "npp", "radius_m": 30000},
   "geometry": {"type": "Point", "coordinates": [31.21667, 47.81667]}}
]}"#;

#[test]
fn lists_are_sorted_by_id_and_ties_go_to_the_smallest_id() {
    let zones = TempFile::new("synthetic.geojson", SYNTHETIC_ZONES);
    let points = TempFile::new(
        "points.csv",
        "id,lon,lat\nborder,25,49\nnorth-of-corner,25,51\nboth,11.5,41.5\ncentre,31.21667,47.81667\nwest,22,49\n",
    );
    let rows = locate(zones.path(), points.path()).ok_rows();
    assert_eq!(fields(&rows[0]), ("border", "", "east;west", "east", "0.000"));
    // Equidistant from both zones (their shared corner is nearest): the smaller id wins.
    assert_eq!(rows[1][1..4], ["", "", "east"]);
    assert_eq!(rows[2][1..4], ["a-small;b-big", "", "a-small"]);
    assert_eq!(rows[3][1..4], ["npp", "", "npp"]);
    assert!(
        (rows[3][4].parse::<f64>().unwrap() - 30_000.0).abs() < 0.01,
        "{}",
        rows[3][4]
    );
    assert_eq!(rows[4][1], "west");
    // One degree of latitude to the 48°N and 50°N edges: about 111.2 km, 3 decimals.
    let d = &rows[4][4];
    assert!(d.len() - d.find('.').unwrap() == 4, "{d}");
    assert!((d.parse::<f64>().unwrap() - 111_200.0).abs() < 300.0, "{d}");
    let index = index_of(zones.path());
    for (row, (lon, lat)) in rows.iter().zip([
        (25.0, 49.0),
        (25.0, 51.0),
        (11.5, 41.5),
        (31.21667, 47.81667),
        (22.0, 49.0),
    ]) {
        assert_eq!(*row, expected_row(&index, &row[0], lon, lat));
    }
}

#[test]
fn bundled_sample_matches_the_library_row_by_row() {
    let sample = data("sample-points.csv");
    let rows = locate(&oblasts(), &sample).ok_rows();
    let index = index_of(&oblasts());
    let mut input = csv::Reader::from_path(&sample).unwrap();
    assert_eq!(input.headers().unwrap(), vec!["id", "lon", "lat", "note"]);
    let points: Vec<csv::StringRecord> = input.records().map(Result::unwrap).collect();
    assert!(points.len() >= 40, "{}", points.len());
    assert_eq!(rows.len(), points.len());
    for (row, point) in rows.iter().zip(&points) {
        let (lon, lat) = (point[1].parse().unwrap(), point[2].parse().unwrap());
        assert_eq!(*row, expected_row(&index, &point[0], lon, lat), "{point:?}");
        if point[0].starts_with("vertex-") {
            assert_eq!((row[1].as_str(), row[4].as_str()), ("", "0.000"), "{row:?}");
        }
    }
    let by_id = |id: &str| rows.iter().find(|r| r[0] == id).unwrap();
    assert_eq!(by_id("lviv")[1], "UA-46");
    assert_eq!(by_id("kyiv")[1], "UA-30");
    assert_eq!(by_id("bila-tserkva")[1], "UA-32");
    assert_eq!(by_id("warsaw")[1], "");
    assert_eq!(by_id("black-sea")[1], "");
}

//! The formats layer: writing zones, plans and decisions as GeoJSON and KML, reading and writing
//! ED-318 (EUROCAE geographical zones), and zones in other coordinate reference systems
//! (PROJ, optional). Uses the rules, index and geometry layers.

#[cfg(feature = "proj")]
pub mod crs;
pub mod ed318;
pub mod geojson;
pub mod kml;
pub mod map;

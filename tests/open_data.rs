//! The open data is documented: `data/schema.json` is a valid JSON Schema that the built data
//! of the real directory and of the fixture validates against, and `data/datapackage.json`
//! describes exactly the CSV's columns and the files that exist.

mod common;
use common::{TestSite, build_real, read_built};
use serde_json::{Value, json};
use std::path::Path;

fn read_json(out: &Path, rel: &str) -> Value {
    serde_json::from_str(&read_built(out, rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Validates `instance` against `schema` (formats checked too); panics listing every error.
fn assert_valid(schema: &Value, instance: &Value, what: &str) {
    let validator = jsonschema::options().should_validate_formats(true).build(schema).expect("the schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what} does not validate:\n{}", errors.join("\n"));
}

/// The schema with `#/$defs/<def>` as its root, as `schema.json#/$defs/<def>` names it.
fn sub_schema(schema: &Value, def: &str) -> Value {
    json!({ "$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": format!("#/$defs/{def}") })
}

/// Everything the data files of a built site must satisfy.
fn check_built(out: &Path) {
    let schema = read_json(out, "data/schema.json");
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(schema["format_version"], 2, "the format is versioned");
    assert!(jsonschema::meta::is_valid(&schema), "data/schema.json is not a valid JSON Schema");
    let enclaves = read_json(out, "data/enclaves.json");
    assert!(!enclaves.as_array().unwrap().is_empty());
    assert_valid(&schema, &enclaves, "data/enclaves.json");
    let operators = read_json(out, "data/operators.json");
    assert_valid(&sub_schema(&schema, "operators"), &operators, "data/operators.json");

    let package = read_json(out, "data/datapackage.json");
    assert_eq!(package["format_version"], 2);
    let csv = read_built(out, "data/enclaves.csv");
    let header = csv.strip_prefix('\u{feff}').expect("BOM").split("\r\n").next().unwrap();
    let columns: Vec<&str> = header.split(',').collect();
    let resources = package["resources"].as_array().unwrap();
    let csv_resource = resources.iter().find(|r| r["path"] == "enclaves.csv").expect("the CSV is described");
    let described: Vec<&str> =
        csv_resource["schema"]["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(described, columns, "datapackage.json's fields are the CSV's header, in order");
    for f in csv_resource["schema"]["fields"].as_array().unwrap() {
        let t = f["type"].as_str().unwrap();
        assert!(["string", "number"].contains(&t), "{f}");
    }
    assert_eq!(csv_resource["dialect"]["lineTerminator"], "\r\n");
    // Every row has a cell per described column.
    let rows = csv.split("\r\n").filter(|l| !l.is_empty()).count() - 1;
    assert_eq!(rows, enclaves.as_array().unwrap().len());
    // Every resource is a file that was written, and the JSON ones name their schema.
    for r in resources {
        let path = r["path"].as_str().unwrap();
        assert!(out.join("data").join(path).is_file(), "{path} is described but not written");
        if r["format"] == "json" {
            let (file, pointer) =
                r["jsonSchema"].as_str().unwrap().split_once('#').unwrap_or((r["jsonSchema"].as_str().unwrap(), ""));
            assert_eq!(file, "schema.json");
            assert!(pointer.is_empty() || schema.pointer(pointer).is_some(), "{pointer}");
        }
    }
}

#[test]
fn the_real_directory_validates_against_the_shipped_schema() {
    let (_dir, out) = build_real();
    check_built(&out);
}

#[test]
fn the_fixture_validates_too_with_outcomes_and_empty_fields() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    check_built(&site.public());
}

#[test]
fn the_schema_rejects_what_the_data_never_holds() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let out = site.public();
    let schema = read_json(&out, "data/schema.json");
    let enclaves = read_json(&out, "data/enclaves.json");
    let first = &enclaves[0];
    let bad = |edit: &dyn Fn(&mut Value)| {
        let mut e = first.clone();
        edit(&mut e);
        let validator = jsonschema::validator_for(&schema).unwrap();
        !validator.is_valid(&json!([e]))
    };
    assert!(!bad(&|_| {}), "the record itself is valid");
    assert!(bad(&|e| e["unknown_field"] = json!(1)), "an unknown field");
    assert!(bad(&|e| e["status"] = json!("open")), "a status outside the three");
    assert!(bad(&|e| e["area_m2"] = json!(-1)), "a negative area");
    assert!(bad(&|e| e["outcomes"]["landing_rate"] = json!(50)), "a share above 1");
    assert!(bad(&|e| e["opened"] = json!("June 2021")), "a date in another shape");
    assert!(bad(&|e| e["home"] = json!("huishan")), "a reference that is not {{id, name}}");
    assert!(
        bad(&|e| {
            e.as_object_mut().unwrap().remove("sources");
        }),
        "a missing field"
    );
}

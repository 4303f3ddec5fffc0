use super::super::{Shape, parse_file, strip};
use super::parse;

fn read(text: &str) -> Vec<(String, Shape)> {
    let mut out = parse_file(text).unwrap();
    let clean = strip(text);
    let macros = super::local_macros(&clean);
    out.extend(parse(text, &clean, &macros).unwrap());
    out
}

#[test]
fn reads_an_enum_decoded_by_form_with_its_unit_literals() {
    let text = r#"
/// Keep.
#[derive(Debug)]
pub enum Keep {
    /// All.
    All,
    /// An object.
    Threshold(Threshold),
    /// A list.
    Many(Vec<crate::Block>),
}

impl Serialize for Keep {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::All => serializer.serialize_str("all"),
            _ => todo(),
        }
    }
}

#[derive(Debug)]
pub enum Plain {
    A,
}
"#;
    let items = read(text);
    assert_eq!(items.len(), 1, "{items:?}");
    let Shape::Untagged(variants) = &items[0].1 else {
        panic!("{items:?}")
    };
    let summary: Vec<_> = variants
        .iter()
        .map(|v| (v.inner.as_deref(), v.literal.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            (None, Some("all")),
            (Some("Threshold"), None),
            (Some("Vec<crate::Block>"), None),
        ]
    );
}

#[test]
fn reads_tag_families_a_catalogue_and_a_block_macro() {
    let text = r#"
const FAMILIES: &[(&str, &str)] = &[("bash_", "bash_20250124"), ("web_", "web_1")];

pub enum Tool {
    Custom(CustomTool),
    Bash(BashTool),
    Web(WebTool),
}

impl<'de> Deserialize<'de> for Tool {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let decoded = match (kind.as_str(), family_of(&kind)) {
            ("custom", _) => from_object::<CustomTool>(map).map(Tool::Custom),
            (_, Some(1)) => from_object::<WebTool>(map).map(Tool::Web),
            (_, Some(0)) => from_object::<BashTool>(map).map(Tool::Bash),
            _ => return Ok(Tool::Unknown(Value::Object(map))),
        };
    }
}

macro_rules! catalogue {
    ($($konst:ident = $id:literal $(alias $alias:ident = $alias_id:literal)? { $x:expr })*) => {
        impl Model { $(pub const $konst: Model = Model::from_static($id);)* }
    };
}

catalogue! {
    ONE = "m-1" alias ONE_A = "m-1-a" { 1 }
    TWO = "m-2" { 2 }
}

macro_rules! pair {
    ($(#[$meta:meta])* $block:ident, $(#[$cmeta:meta])* $content:ident { $($body:tt)* }) => {
        object! {
            $(#[$meta])*
            pub struct $block {
                required { content: $content, }
                optional {}
            }
        }
        tagged_union! {
            $(#[$cmeta])*
            pub enum $content { $($body)* }
        }
    };
}

pair! {
    /// Doc.
    ResultBlock,
    /// Doc.
    ResultContent {
        "ok" => Ok(Done),
    }
}
"#;
    let items = read(text);
    let names: Vec<&str> = items.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Tool", "Model", "ResultBlock", "ResultContent"]);
    let Shape::Union(arms) = &items[0].1 else {
        panic!()
    };
    let arms: Vec<_> = arms.iter().map(|(w, t)| (w.as_str(), t.as_str())).collect();
    assert_eq!(
        arms,
        [
            ("custom", "CustomTool"),
            ("web_*", "WebTool"),
            ("bash_*", "BashTool")
        ]
    );
    let Shape::Enum(values) = &items[1].1 else {
        panic!()
    };
    assert_eq!(values, &["m-1", "m-1-a", "m-2"]);
    let Shape::Object(fields) = &items[2].1 else {
        panic!()
    };
    assert_eq!(fields[0].ty, "ResultContent");
    let Shape::Union(arms) = &items[3].1 else {
        panic!()
    };
    assert_eq!(arms, &[("ok".to_owned(), "Done".to_owned())]);
}

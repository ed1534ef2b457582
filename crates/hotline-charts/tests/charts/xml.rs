//! A minimal XML well-formedness check (no XML crate is in the lockfile): one root,
//! balanced and matching tags, quoted and unique attributes, only the five predefined
//! entities and character references, no characters XML 1.0 forbids; plus the SVG
//! checks the charts promise (finite numbers, non-negative sizes).

use std::collections::HashSet;

/// An element as parsed: its name, attributes, and its direct text.
#[derive(Clone, Debug)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn class_has(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|x| x == class))
    }
}

fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
        || ('\u{20}'..='\u{d7ff}').contains(&c)
        || ('\u{e000}'..='\u{fffd}').contains(&c)
        || ('\u{10000}'..='\u{10ffff}').contains(&c)
}

fn name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')
}

/// Decodes text with entities; errors on a bare `&` or `<`.
fn decode(s: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(['&', '<']) {
        out.push_str(&rest[..i]);
        if rest[i..].starts_with('<') {
            return Err(format!("raw < in {s:?}"));
        }
        let end = rest[i..]
            .find(';')
            .ok_or_else(|| format!("unterminated entity in {s:?}"))?;
        let ent = &rest[i + 1..i + end];
        let c = match ent {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ if ent.starts_with("#x") => u32::from_str_radix(&ent[2..], 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("bad reference &{ent};"))?,
            _ if ent.starts_with('#') => ent[1..]
                .parse::<u32>()
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("bad reference &{ent};"))?,
            _ => return Err(format!("unknown entity &{ent};")),
        };
        if !xml_char(c) {
            return Err(format!("reference to a forbidden character &{ent};"));
        }
        out.push(c);
        rest = &rest[i + end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Parses `doc`, returning every element in document order.
pub fn parse(doc: &str) -> Result<Vec<Element>, String> {
    if let Some(c) = doc.chars().find(|&c| !xml_char(c)) {
        return Err(format!("forbidden character U+{:04X}", c as u32));
    }
    let mut elements: Vec<Element> = Vec::new();
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut rest = doc;
    let mut roots = 0;
    loop {
        let Some(lt) = rest.find('<') else {
            if !rest.trim().is_empty() {
                return Err(format!("text after the root: {rest:?}"));
            }
            break;
        };
        let text = decode(&rest[..lt])?;
        match stack.last() {
            Some(&(_, idx)) => elements[idx].text.push_str(&text),
            None if !text.trim().is_empty() => {
                return Err(format!("text outside the root: {text:?}"))
            }
            None => {}
        }
        rest = &rest[lt + 1..];
        if let Some(r) = rest.strip_prefix('/') {
            let gt = r.find('>').ok_or("unterminated end tag")?;
            let name = r[..gt].trim_end();
            match stack.pop() {
                Some((open, _)) if open == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            rest = &r[gt + 1..];
            continue;
        }
        if rest.starts_with('!') || rest.starts_with('?') {
            return Err("comments, doctypes and processing instructions are not expected".into());
        }
        let name_len = rest
            .char_indices()
            .find(|&(_, c)| !name_char(c))
            .map_or(rest.len(), |(i, _)| i);
        if name_len == 0 {
            return Err(format!("bad tag at {:?}", &rest[..rest.len().min(20)]));
        }
        let name = rest[..name_len].to_owned();
        rest = &rest[name_len..];
        let mut attrs = Vec::new();
        let mut seen = HashSet::new();
        let self_closing;
        loop {
            let t = rest.trim_start();
            if t.len() == rest.len() && !t.starts_with(['>', '/']) {
                return Err(format!("no space before attribute in <{name}>"));
            }
            rest = t;
            if let Some(r) = rest.strip_prefix("/>") {
                self_closing = true;
                rest = r;
                break;
            }
            if let Some(r) = rest.strip_prefix('>') {
                self_closing = false;
                rest = r;
                break;
            }
            let eq = rest
                .find('=')
                .ok_or_else(|| format!("attribute without value in <{name}>"))?;
            let key = rest[..eq].trim().to_owned();
            if key.is_empty() || !key.chars().all(name_char) {
                return Err(format!("bad attribute name {key:?} in <{name}>"));
            }
            if !seen.insert(key.clone()) {
                return Err(format!("duplicate attribute {key} in <{name}>"));
            }
            let r = rest[eq + 1..].trim_start();
            let q = r.chars().next().ok_or("eof in attribute")?;
            if q != '"' && q != '\'' {
                return Err(format!("unquoted attribute {key} in <{name}>"));
            }
            let end = r[1..].find(q).ok_or("unterminated attribute")?;
            let value = decode(&r[1..1 + end])?;
            attrs.push((key, value));
            rest = &r[end + 2..];
        }
        if stack.is_empty() {
            roots += 1;
            if roots > 1 {
                return Err("more than one root element".into());
            }
        }
        elements.push(Element {
            name: name.clone(),
            attrs,
            text: String::new(),
        });
        if !self_closing {
            stack.push((name, elements.len() - 1));
        }
    }
    if let Some((open, _)) = stack.last() {
        return Err(format!("<{open}> not closed"));
    }
    if roots != 1 {
        return Err("no root element".into());
    }
    Ok(elements)
}

/// The numbers of a path or points attribute.
fn numbers(s: &str) -> Vec<&str> {
    s.split(|c: char| c.is_ascii_alphabetic() && c != 'e' || c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Parses an SVG and checks what every chart promises; returns the elements.
#[track_caller]
pub fn check_svg(svg: &str) -> Vec<Element> {
    let els = parse(svg).unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"));
    let root = &els[0];
    assert_eq!(root.name, "svg", "{svg}");
    assert_eq!(root.attr("xmlns"), Some("http://www.w3.org/2000/svg"));
    assert_eq!(root.attr("role"), Some("img"));
    assert!(
        root.attr("aria-label").is_some_and(|l| !l.is_empty()),
        "{svg}"
    );
    assert!(root.class_has("hc-chart"));
    assert_eq!(els[1].name, "title", "the first child is the title");
    assert_eq!(els[2].name, "desc");
    for word in ["NaN", "inf", "script", "<style"] {
        assert!(!svg.contains(word), "{word} in {svg}");
    }
    let vb: Vec<f64> = root
        .attr("viewBox")
        .expect("viewBox")
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(vb.len(), 4);
    for e in &els {
        assert!(e.attr("id").is_none(), "no ids: charts share pages");
        for (k, v) in &e.attrs {
            let numeric = matches!(
                k.as_str(),
                "x" | "y"
                    | "width"
                    | "height"
                    | "cx"
                    | "cy"
                    | "r"
                    | "x1"
                    | "x2"
                    | "y1"
                    | "y2"
                    | "stroke-width"
                    | "font-size"
            );
            if numeric {
                let f: f64 = v
                    .parse()
                    .unwrap_or_else(|_| panic!("{k}={v:?} in <{}>", e.name));
                assert!(f.is_finite(), "{k}={v}");
                if matches!(k.as_str(), "width" | "height" | "r") {
                    assert!(f >= 0.0, "{k}={v} < 0 in <{}>", e.name);
                }
            }
            if k == "d" {
                for t in numbers(v) {
                    let f: f64 = t
                        .parse()
                        .unwrap_or_else(|_| panic!("d token {t:?} in {v:?}"));
                    assert!(f.is_finite());
                }
            }
        }
    }
    els
}

#[test]
fn the_checker_refuses_broken_documents() {
    for bad in [
        "<svg>",
        "<svg></g>",
        "<svg a=1></svg>",
        "<svg a=\"1\" a=\"2\"></svg>",
        "<svg>&nbsp;</svg>",
        "<svg>a & b</svg>",
        "<svg>a < b</svg>",
        "<svg x=\"<\"></svg>",
        "<svg></svg><svg></svg>",
        "<svg>\u{1}</svg>",
        "<svg>&#1;</svg>",
        "text<svg></svg>",
    ] {
        assert!(parse(bad).is_err(), "{bad:?}");
    }
    let ok =
        parse("<svg a=\"&lt;&amp;&quot;&#39;&gt;\"><g><title>x &amp; y</title></g><rect/></svg>")
            .unwrap();
    assert_eq!(ok[0].attr("a"), Some("<&\"'>"));
    assert_eq!(ok[2].text, "x & y");
}

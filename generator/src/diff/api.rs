//! The parts of the API that belong to no operation: the servers (the
//! generated `Region` enum) and the `Intercom-Version` header.

use super::walk::Walk;
use super::{Dir, Finding, Kind};
use crate::ir::{Api, TypeKind};

/// Servers and the `Intercom-Version` header.
pub(crate) fn api_level(w: &mut Walk) {
    // Servers are compared as the `Region` variants the surface names them.
    let regions = |api: &Api, surface: &crate::surface::Surface| -> Vec<(String, String)> {
        let urls = api.servers.iter().map(|s| s.url.clone());
        surface.regions.iter().cloned().zip(urls).collect()
    };
    let (old, new) = (regions(w.old, w.old_s), regions(w.new, w.new_s));
    for (name, url) in &new {
        let at = |kind, fact: String| Finding::new(kind, Dir::Both, "/servers", fact).subject(name);
        match old.iter().find(|(o, _)| o == name) {
            None => w.add(at(
                Kind::ServerAdded,
                format!("server `{name}` added ({url})"),
            )),
            Some((_, o_url)) if o_url != url => w.add(at(
                Kind::ServerChanged,
                format!("server `{name}`: {o_url} → {url}"),
            )),
            Some(_) => {}
        }
    }
    for (name, url) in old.iter().filter(|(o, _)| !new.iter().any(|(n, _)| n == o)) {
        let fact = format!("server `{name}` removed ({url})");
        w.add(
            Finding::new(Kind::ServerRemoved, Dir::Both, "/servers", fact)
                .subject(name)
                .signature(true),
        );
    }
    version_header(w);
    webhook_topics(w);
}

/// The topics of the `webhooks` module: documented from a version on
/// (`spec/webhooks.yaml`), so a bump can add some.
fn webhook_topics(w: &mut Walk) {
    let wires = |s: &crate::surface::Surface| -> Vec<(String, String)> {
        s.webhooks
            .topics
            .iter()
            .map(|t| (t.wire.clone(), t.variant.clone()))
            .collect()
    };
    let (old, new) = (wires(w.old_s), wires(w.new_s));
    for (wire, variant) in new.iter().filter(|(n, _)| !old.iter().any(|(o, _)| o == n)) {
        let fact = format!("webhook topic `{wire}` added (`webhooks::Topic::{variant}`)");
        w.add(Finding::new(Kind::WebhookTopicAdded, Dir::Read, "", fact).subject(wire));
    }
    for (wire, variant) in old.iter().filter(|(o, _)| !new.iter().any(|(n, _)| n == o)) {
        let fact = format!("webhook topic `{wire}` removed (`webhooks::Topic::{variant}`: it now reads as `Topic::Unknown`)");
        w.add(
            Finding::new(Kind::WebhookTopicRemoved, Dir::Read, "", fact)
                .subject(wire)
                .signature(true),
        );
    }
}

fn version_values(api: &Api) -> Option<(String, String, Vec<String>)> {
    let vh = api.version_header.as_ref()?;
    let ty = api.types.get(vh.ty.0)?;
    let values = match &ty.kind {
        TypeKind::Enum { variants } => variants.iter().map(|v| v.value.clone()).collect(),
        _ => Vec::new(),
    };
    Some((ty.place.name(), ty.origin.clone(), values))
}

fn version_header(w: &mut Walk) {
    let (old, new) = (w.old, w.new);
    let (a, b) = (version_values(old), version_values(new));
    let vc = |ptr: &str, fact: String, subject: &str| {
        Finding::new(Kind::VersionEnumChanged, Dir::Both, ptr, fact).subject(subject)
    };
    match (a, b) {
        (None, None) => {}
        (None, Some((name, ptr, _))) => {
            w.add(vc(&ptr, "the client now sends a version header".into(), "").schema(&name))
        }
        (Some((name, ptr, _)), None) => w.add(
            vc(
                &ptr,
                "the client no longer sends a version header".into(),
                "",
            )
            .schema(&name)
            .signature(true),
        ),
        (Some((_, old_ptr, xs)), Some((name, ptr, ys))) => {
            for y in ys.iter().filter(|y| !xs.contains(y)) {
                w.add(vc(&ptr, format!("version `{y}` added"), y).schema(&name));
            }
            for x in xs.iter().filter(|x| !ys.contains(x)) {
                w.add(
                    vc(&old_ptr, format!("version `{x}` removed"), x)
                        .schema(&name)
                        .signature(true),
                );
            }
        }
    }
    let default = |api: &Api| api.version_header.as_ref().and_then(|v| v.default.clone());
    let (da, db) = (default(old), default(new));
    if da != db {
        let show = |d: &Option<String>| {
            d.as_deref()
                .map_or("none".to_string(), |d| format!("`{d}`"))
        };
        let fact = format!("default version sent: {} → {}", show(&da), show(&db));
        let ptr = version_values(new).map(|(_, p, _)| p).unwrap_or_default();
        w.add(Finding::new(
            Kind::VersionDefaultChanged,
            Dir::Both,
            ptr,
            fact,
        ));
    }
}

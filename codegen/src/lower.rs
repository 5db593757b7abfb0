//! Builds the IR from the parsed collection and the resolved variables.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::docs::to_rustdoc;
use crate::ir::{
    Api, Auth, AuthRef, Body, EnvironmentIr, ExampleResponse, FormField, Module, OAuth2, Operation, PathParam,
    QueryParam, RuntimeVar, SharedAuth, UrlPart,
};
use crate::parse::model::{
    self, Auth as PostmanAuth, Collection, Item, KeyValue, PathSegments, Request, RequestObject,
    StringOrList, Url, UrlObject,
};
use crate::resolve::{self, EnvName, VarClass, Variables};
use crate::signing;

/// Lowers a parsed collection to the IR.
pub fn lower(collection: &Collection, mut vars: Variables) -> Api {
    let mut auth_names = BTreeSet::new();
    visit_auth(collection.auth.as_ref(), collection.item.as_deref().unwrap_or(&[]), &mut auth_names);
    vars.auth_names = auth_names;

    let info = collection.info.as_ref();
    let mut cx = Lowering { vars: &vars, referenced: BTreeSet::new(), shared: Vec::new(), shared_keys: BTreeMap::new(), warnings: Vec::new(), next_order: 0, origins: BTreeMap::new(), behaviors: Vec::new() };
    let root_chain = vec![AuthLink { key: String::new(), path: Vec::new(), auth: collection.auth.as_ref() }];
    let mut root = Module {
        docs: info.and_then(|i| i.description.as_ref()).map(|d| to_rustdoc(d.text())).unwrap_or_default(),
        ..Module::default()
    };
    cx.items(collection.item.as_deref().unwrap_or(&[]), &mut root, &root_chain);

    let runtime_vars = cx.runtime_vars();
    let mut environments = environments(&vars, &runtime_vars);
    for env in &mut environments {
        for (origin, var) in &cx.origins {
            env.values.push((var.clone(), origin.clone()));
        }
        env.values.sort();
    }
    Api {
        name: info.and_then(|i| i.name.clone()).unwrap_or_default(),
        docs: root.docs.clone(),
        root,
        environments,
        runtime_vars,
        shared_auth: cx.shared,
        warnings: cx.warnings,
    }
}

fn visit_auth(auth: Option<&PostmanAuth>, items: &[Item], into: &mut BTreeSet<String>) {
    if let Some(auth) = auth {
        resolve::collect_auth_names(auth, into);
    }
    for item in items {
        let own = item.auth.as_ref().or(match &item.request {
            Some(Request::Full(r)) => r.auth.as_ref(),
            _ => None,
        });
        visit_auth(own, item.item.as_deref().unwrap_or(&[]), into);
    }
}

/// One level of the auth inheritance chain.
struct AuthLink<'a> {
    key: String,
    path: Vec<String>,
    auth: Option<&'a PostmanAuth>,
}

struct Lowering<'v> {
    vars: &'v Variables,
    referenced: BTreeSet<String>,
    shared: Vec<SharedAuth>,
    shared_keys: BTreeMap<String, usize>,
    warnings: Vec<String>,
    next_order: usize,
    /// Literal origins (`https://api.example.com`) → the variable that now holds them, so
    /// every base URL can be overridden (staging, a mock server) like `{{baseUrl}}` ones.
    origins: BTreeMap<String, String>,
    /// The `protocolProfileBehavior` of the folders above the current item, outermost first.
    /// (Cloned: they are a few flags, and the items outlive no `Lowering` borrow.)
    behaviors: Vec<Option<Value>>,
}

impl Lowering<'_> {
    fn items<'a>(&mut self, items: &'a [Item], module: &mut Module, chain: &[AuthLink<'a>]) {
        for (index, item) in items.iter().enumerate() {
            let name = item.name.clone().unwrap_or_default();
            let mut path = module.item_path.clone();
            path.push(name.clone());
            if let Some(children) = &item.item {
                let key = item.stable_id().map(str::to_owned).unwrap_or_else(|| format!("{}#{index}", path.join("/")));
                let mut sub = Module {
                    name,
                    key: key.clone(),
                    item_path: path.clone(),
                    docs: item.description.as_ref().map(|d| to_rustdoc(d.text())).unwrap_or_default(),
                    ..Module::default()
                };
                let mut chain_here: Vec<AuthLink<'a>> =
                    chain.iter().map(|l| AuthLink { key: l.key.clone(), path: l.path.clone(), auth: l.auth }).collect();
                chain_here.push(AuthLink { key, path, auth: item.auth.as_ref() });
                self.behaviors.push(item.protocol_profile_behavior.clone());
                self.items(children, &mut sub, &chain_here);
                self.behaviors.pop();
                module.modules.push(sub);
            } else if let Some(request) = &item.request {
                let op = self.operation(item, request, path, chain);
                module.operations.push(op);
            }
        }
    }

    fn operation(&mut self, item: &Item, request: &Request, item_path: Vec<String>, chain: &[AuthLink<'_>]) -> Operation {
        let owned;
        let object: &RequestObject = match request {
            Request::Full(object) => object,
            Request::Url(raw) => {
                owned = RequestObject { url: Some(Url::Raw(raw.clone())), ..Default::default() };
                &owned
            }
        };
        let method = object.method.clone().unwrap_or_else(|| "GET".to_owned()).to_ascii_uppercase();
        let url = object.url.as_ref().map(split_url).unwrap_or_default();
        let key = item.stable_id().map(str::to_owned).unwrap_or_else(|| {
            format!("{} {} {}", item_path.join("/"), method, key_url(&url.raw))
        });
        // Warnings quote the item path: escaped and cut like names in error messages, so a name
        // with a newline cannot make a warning of several lines.
        let label = crate::parse::printable(&item_path.join(" / "), crate::parse::MAX_QUOTED);

        let order = self.next_order;
        self.next_order += 1;
        let mut op = Operation { name: item.name.clone().unwrap_or_default(), key, item_path, method, order, ..Default::default() };
        self.url(&url, &mut op);
        self.query(&url.query, &mut op);
        example_query_values(item, &mut op.query);
        let body = object.body.as_ref().filter(|b| !b.disabled);
        let pruned = body.is_some() && self.prunes_body(item, &op.method);
        // reqwest writes the multipart Content-Type (with its boundary) only when there are parts.
        let multipart = !pruned
            && body.is_some_and(|b| b.mode.as_deref() == Some("formdata") && b.formdata.iter().any(|p| !p.disabled));
        self.headers(object, multipart, &mut op);
        op.body = if pruned { Body::None } else { self.body(item, object, &label) };
        op.omit_content_type = self.omits_content_type(item);
        if let Some(content_type) = body.filter(|_| !pruned && !op.omit_content_type).and_then(|b| raw_content_type(b, &op)) {
            op.headers.push(("Content-Type".to_owned(), content_type.to_owned()));
        }
        Self::hide_form_credentials(&mut op.body);
        self.note_body_refs(&op.body);
        op.auth = self.auth(object.auth.as_ref(), chain, &label);
        self.responses(item, &mut op);
        let description = object.description.as_ref().or(item.description.as_ref());
        op.docs = description.map(|d| to_rustdoc(d.text())).unwrap_or_default();
        op
    }

    fn note_refs(&mut self, template: &str) {
        if !template.contains("{{") {
            return;
        }
        // Nested references (`{{hello_{{var}}}}`) name different variables per environment.
        let scopes = std::iter::once(None).chain((0..self.vars.environments.len()).map(Some));
        for env in scopes {
            let lookup = |name: &str| self.vars.lookup(env, name).map(|v| v.value.clone());
            for name in resolve::referenced_in_passes(template, lookup) {
                self.referenced.insert(name);
            }
        }
    }

    /// Variables in the body's values: the client needs their values too, to render the
    /// collection's own body in `postman_examples` as Postman does.
    fn note_body_refs(&mut self, body: &Body) {
        match body {
            Body::Json { raw, .. } => self.note_refs(raw),
            Body::Text { example } => self.note_refs(example),
            Body::UrlEncoded { fields } | Body::FormData { fields } => {
                for example in fields.iter().filter(|f| f.required).filter_map(|f| f.example.as_deref()) {
                    self.note_refs(example);
                }
            }
            Body::GraphQl { query, variables } => {
                self.note_refs(query);
                if let Some(variables) = variables {
                    self.note_refs(&variables.to_string());
                }
            }
            Body::None | Body::File { .. } => {}
        }
    }

    /// Whether Postman drops the body of this request: `GET`, `HEAD`, `COPY`, `PURGE` and
    /// `UNLOCK` are sent without one unless `protocolProfileBehavior.disableBodyPruning` is set on
    /// the item or a folder above it (the nearest setting wins).
    fn prunes_body(&self, item: &Item, method: &str) -> bool {
        const METHODS_WITHOUT_BODY: &[&str] = &["GET", "HEAD", "COPY", "PURGE", "UNLOCK"];
        let disabled = self.behavior(item, "disableBodyPruning").and_then(Value::as_bool);
        METHODS_WITHOUT_BODY.contains(&method) && disabled != Some(true)
    }

    /// A `protocolProfileBehavior` setting as Postman resolves it: the item's own, else that of
    /// the nearest folder above it that has one (each key on its own).
    fn behavior<'i>(&'i self, item: &'i Item, key: &str) -> Option<&'i Value> {
        item.behavior(key).or_else(|| self.behaviors.iter().rev().find_map(|b| b.as_ref()?.get(key)))
    }

    /// Whether `disabledSystemHeaders` turns off the Content-Type Postman derives from the body
    /// (a Content-Type the request declares itself is still sent).
    fn omits_content_type(&self, item: &Item) -> bool {
        self.behavior(item, "disabledSystemHeaders").and_then(|h| h.get("content-type")).and_then(Value::as_bool) == Some(true)
    }

    /// The variable standing for a literal origin (made on first use).
    fn origin_var(&mut self, origin: &str) -> String {
        if let Some(var) = self.origins.get(origin) {
            return var.clone();
        }
        let taken = |name: &str| {
            self.vars.has_value(name)
                || self.vars.lookup(None, name).is_some()
                || self.vars.environments.iter().any(|(_, m)| m.contains_key(name))
                || self.origins.values().any(|v| v == name)
        };
        let mut name = "base-url".to_owned();
        let mut n = 2;
        while taken(&name) {
            name = format!("base-url-{n}");
            n += 1;
        }
        self.origins.insert(origin.to_owned(), name.clone());
        name
    }

    fn url(&mut self, url: &SplitUrl, op: &mut Operation) {
        let origin = if url.origin.is_empty() || url.origin.contains("{{") {
            url.origin.clone()
        } else {
            format!("{{{{{}}}}}", self.origin_var(&url.origin))
        };
        let mut parts = vec![UrlPart::Literal(origin.clone())];
        self.note_refs(&origin);
        let push_literal = |parts: &mut Vec<UrlPart>, text: &str| match parts.last_mut() {
            Some(UrlPart::Literal(last)) => last.push_str(text),
            _ => parts.push(UrlPart::Literal(text.to_owned())),
        };
        for whole in &url.segments {
            push_literal(&mut parts, "/");
            // Postman's path variable is the segment's text after `:` up to the first `.`; the
            // rest stays as written (`:id.json` → `{id}.json`).
            let (segment, suffix) = match whole.strip_prefix(':').and_then(|rest| rest.find('.')) {
                Some(dot) => whole.split_at(dot + 1),
                None => (whole.as_str(), ""),
            };
            let param = if let Some(name) = segment.strip_prefix(':').filter(|n| !n.is_empty()) {
                let example = url.variables.get(name).cloned().filter(|v| !v.is_empty());
                let docs = url.variable_docs.get(name).cloned().unwrap_or_default();
                Some((name.to_owned(), example, docs))
            } else if let Some(name) = resolve::whole_reference(segment) {
                // The collection's own value for the call is the template itself (Postman
                // resolves it at send time), so examples pass `{{name}}` through the variables.
                (self.vars.classify_path_segment(name) == VarClass::Parameter)
                    .then(|| (name.to_owned(), Some(whole.clone()), String::new()))
            } else {
                None
            };
            match param {
                Some((name, example, docs)) => {
                    let index = match op.path_params.iter().position(|p| p.name == name) {
                        Some(index) => index,
                        None => {
                            op.path_params.push(PathParam { name, example, docs: to_rustdoc(&docs) });
                            op.path_params.len() - 1
                        }
                    };
                    // The origin must stay part 0 even when the first segment is a parameter.
                    if parts.len() == 1 {
                        if let Some(UrlPart::Literal(origin)) = parts.first_mut() {
                            if origin.ends_with('/') {
                                origin.pop();
                                parts.push(UrlPart::Literal("/".to_owned()));
                            }
                        }
                    }
                    parts.push(UrlPart::Param(index));
                    if !suffix.is_empty() {
                        push_literal(&mut parts, suffix);
                    }
                }
                None => {
                    self.note_refs(whole);
                    // Origin and path are separate parts so surface.txt can show the path alone.
                    if parts.len() == 1 {
                        if let Some(UrlPart::Literal(origin)) = parts.first_mut() {
                            origin.pop();
                        }
                        parts.push(UrlPart::Literal(format!("/{whole}")));
                    } else {
                        push_literal(&mut parts, whole);
                    }
                }
            }
        }
        op.url = parts;
    }

    fn query(&mut self, query: &[KeyValue], op: &mut Operation) {
        for param in query {
            let Some(name) = param.key.clone() else { continue };
            if !op.query_order.contains(&name) {
                op.query_order.push(name.clone());
            }
            let value = param.value.clone().unwrap_or_default();
            // Sent from the user's secret, never shown as an example (disabled ones too).
            let value = credential_variable(&name, &value).unwrap_or(value);
            let docs = param.description.as_ref().map(|d| to_rustdoc(d.text())).unwrap_or_default();
            let refs = resolve::references(&value);
            let runtime = !param.disabled
                && !refs.is_empty()
                && refs.iter().all(|r| !resolve::is_dynamic(r) && (self.vars.has_value(r) || self.vars.is_secret(r)));
            if runtime {
                self.note_refs(&value);
                op.runtime_query.push((name, value));
            } else {
                let required = !param.disabled && !value.is_empty();
                let example = (!value.is_empty()).then_some(value);
                let enabled = !param.disabled;
                op.query.push(QueryParam { name, example, required, enabled, samples: Vec::new(), docs });
            }
        }
    }

    fn headers(&mut self, object: &RequestObject, multipart: bool, op: &mut Operation) {
        let Some(headers) = &object.header else { return };
        for header in headers.to_list() {
            let Some(name) = header.key.clone().filter(|k| !k.trim().is_empty()) else { continue };
            if header.disabled {
                continue;
            }
            // reqwest writes the multipart boundary itself.
            if multipart && name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let value = header.value.clone().unwrap_or_default();
            // Recorded as a runtime variable by `note_refs` below.
            let value = credential_variable(&name, &value).unwrap_or(value);
            self.note_refs(&value);
            op.headers.push((name, value));
        }
    }

    /// Literal values of form fields named like credentials (`password`, `client_secret`) become
    /// variables, as in headers and query parameters: the example call renders them from the
    /// user's secrets (`note_body_refs` records them).
    fn hide_form_credentials(body: &mut Body) {
        let (Body::UrlEncoded { fields } | Body::FormData { fields }) = body else { return };
        for field in fields.iter_mut() {
            if let Some(template) = field.example.as_deref().and_then(|value| credential_variable(&field.name, value)) {
                field.example = Some(template);
            }
        }
    }

    fn body(&mut self, item: &Item, object: &RequestObject, label: &str) -> Body {
        let Some(body) = object.body.as_ref().filter(|b| !b.disabled) else { return Body::None };
        match body.mode.as_deref() {
            Some("raw") => {
                let text = body.raw.clone().unwrap_or_default();
                if text.trim().is_empty() {
                    return Body::None;
                }
                let language = body.options.as_ref().and_then(|o| o.raw.as_ref()).and_then(|r| r.language.clone());
                let json_declared = language.as_deref() == Some("json") || content_type_is_json(object);
                let looks_json = language.is_none() && matches!(text.trim_start().chars().next(), Some('{' | '['));
                if !(json_declared || looks_json) {
                    return Body::Text { example: text };
                }
                match parse_json_lenient(&text) {
                    Some(first) => {
                        let mut samples = vec![first];
                        samples.extend(example_request_bodies(item));
                        Body::Json { samples, raw: text }
                    }
                    None => {
                        if json_declared {
                            self.warnings.push(format!("warning: {label}: the JSON body is not valid JSON; it is sent as text"));
                        }
                        Body::Text { example: text }
                    }
                }
            }
            Some("urlencoded") => Body::UrlEncoded { fields: form_fields(&body.urlencoded, |_| false) },
            Some("formdata") => Body::FormData {
                fields: body
                    .formdata
                    .iter()
                    .filter_map(|p| {
                        let name = p.key.clone()?;
                        let file = p.kind.as_deref() == Some("file");
                        Some(FormField {
                            name,
                            example: if file { None } else { p.value.clone() },
                            required: !p.disabled,
                            file,
                            src: if file { file_src(p.src.as_ref()) } else { None },
                            content_type: p.content_type.clone().filter(|c| !c.trim().is_empty()),
                            docs: p.description.as_ref().map(|d| to_rustdoc(d.text())).unwrap_or_default(),
                        })
                    })
                    .collect(),
            },
            Some("file") => Body::File { src: body.file.as_ref().and_then(|f| file_src(f.src.as_ref())) },
            Some("graphql") => {
                let graphql = body.graphql.as_ref();
                let query = graphql.and_then(|g| g.query.clone()).unwrap_or_default();
                let variables = graphql.and_then(|g| g.variables.as_deref()).and_then(parse_json_lenient);
                Body::GraphQl { query, variables }
            }
            _ => Body::None,
        }
    }

    fn auth(&mut self, own: Option<&PostmanAuth>, chain: &[AuthLink<'_>], label: &str) -> AuthRef {
        let mut links: Vec<Option<&PostmanAuth>> = chain.iter().map(|l| l.auth).collect();
        links.push(own);
        let Some(effective) = resolve::effective_auth(&links) else { return AuthRef::None };
        let Some(auth) = self.convert_auth(effective, label) else { return AuthRef::None };
        if own.is_some_and(|o| std::ptr::eq(o, effective)) {
            return AuthRef::Own(Box::new(auth));
        }
        let Some(link) = chain.iter().rev().find(|l| l.auth.is_some_and(|a| std::ptr::eq(a, effective))) else {
            return AuthRef::Own(Box::new(auth));
        };
        let index = match self.shared_keys.get(&link.key) {
            Some(index) => *index,
            None => {
                self.shared.push(SharedAuth { item_path: link.path.clone(), auth });
                self.shared_keys.insert(link.key.clone(), self.shared.len() - 1);
                self.shared.len() - 1
            }
        };
        AuthRef::Shared(index)
    }

    fn convert_auth(&mut self, auth: &PostmanAuth, label: &str) -> Option<Auth> {
        let kind = auth.kind.as_deref().unwrap_or("noauth");
        let params: BTreeMap<String, String> = auth.parameters().into_iter().collect();
        let plain = |key: &str| params.get(key).cloned().unwrap_or_default();
        let mut secret = |key: &str, var: &str| -> String {
            let value = plain(key);
            let template = if value.is_empty() || !resolve::references(&value).is_empty() {
                value
            } else {
                format!("{{{{{var}}}}}")
            };
            self.note_refs(&template);
            template
        };
        let converted = match kind {
            "noauth" => return None,
            "bearer" => Auth::Bearer { token: secret("token", "bearer-token") },
            "basic" => Auth::Basic { username: secret("username", "basic-username"), password: secret("password", "basic-password") },
            "apikey" => Auth::ApiKey {
                key: { let k = plain("key"); if k.is_empty() { "X-API-Key".to_owned() } else { k } },
                value: secret("value", "api-key"),
                in_query: plain("in") == "query",
            },
            "oauth2" => {
                let mut spec = OAuth2 {
                    access_token: secret("accessToken", "access-token"),
                    client_id: secret("clientId", "client-id"),
                    client_secret: secret("clientSecret", "client-secret"),
                    refresh_token: secret("refreshToken", "refresh-token"),
                    header_prefix: { let p = plain("headerPrefix"); if p.is_empty() { "Bearer".to_owned() } else { p } },
                    add_to_query: plain("addTokenTo") == "queryParams",
                    auth_url: plain("authUrl"),
                    token_url: { let t = plain("accessTokenUrl"); if t.is_empty() { plain("refreshTokenUrl") } else { t } },
                    scope: plain("scope"),
                    redirect_uri: plain("redirect_uri"),
                    client_auth_in_body: plain("client_authentication") == "body",
                    expiry_time: String::new(),
                };
                for template in [&spec.auth_url, &spec.token_url, &spec.redirect_uri, &spec.scope] {
                    self.note_refs(template);
                }
                spec.expiry_time = self.expiry_variable().unwrap_or_default();
                Auth::OAuth2(spec)
            }
            other if signing::kind(other).is_some_and(signing::has_signer) => {
                let kind = signing::kind(other).expect("checked by the guard");
                let signed = signed_params(kind, &params);
                let algorithm = if kind.name == "asap" { plain("alg") } else { plain("algorithm") };
                if matches!(kind.name, "jwt" | "asap") && algorithm == "ES512" {
                    self.warnings.push(format!(
                        "warning: {label}: {} auth with algorithm ES512 is not supported; calls fail with a configuration error (use ES256, ES384, RS*, PS* or HS*)",
                        kind.name
                    ));
                }
                for (_, template) in &signed {
                    self.note_refs(template);
                }
                Auth::Signed { kind: kind.name.to_owned(), params: signed }
            }
            other => {
                self.warnings.push(format!(
                    "warning: {label}: auth type `{other}` is not supported; the generated client sends no credentials for it (add headers with ClientBuilder::header)"
                ));
                Auth::Unsupported { kind: other.to_owned() }
            }
        };
        Some(converted)
    }

    /// A variable that holds the OAuth token expiry (e.g. `expiry-time`), if the collection has one.
    fn expiry_variable(&self) -> Option<String> {
        let names = self
            .vars
            .environments
            .iter()
            .flat_map(|(_, map)| map.keys())
            .chain(self.vars.collection.keys());
        names
            .filter(|n| {
                let lower = n.to_ascii_lowercase();
                lower.contains("expir") && !lower.contains("refresh")
            })
            .min()
            .cloned()
    }

    fn responses(&mut self, item: &Item, op: &mut Operation) {
        for example in &item.response {
            let code = example.code.as_deref().and_then(|c| c.parse::<u16>().ok());
            let success = code.is_none_or(|c| (200..300).contains(&c));
            let body = example.body.as_deref().unwrap_or("");
            let json = parse_json_lenient(body);
            let is_json = json.is_some();
            if let Some(value) = json {
                let name = example.name.clone().unwrap_or_default();
                op.examples.push(ExampleResponse { name, status: code, body: value });
            }
            if !success {
                continue;
            }
            op.has_success_example = true;
            let headers = example.header.as_ref().map(|h| h.to_list()).unwrap_or_default();
            let links = headers.into_iter().filter(|h| h.key.as_deref().is_some_and(|k| k.eq_ignore_ascii_case("link")));
            op.link_headers.extend(links.filter_map(|h| h.value));
            if !is_json && !body.trim().is_empty() {
                op.success_is_text = true;
            }
        }
    }

    fn runtime_vars(&self) -> BTreeSet<RuntimeVar> {
        // Values may reference other variables: follow them so defaults are complete.
        let mut all = self.referenced.clone();
        let mut queue: Vec<String> = all.iter().cloned().collect();
        while let Some(name) = queue.pop() {
            let scopes = self.vars.environments.iter().map(|(_, m)| m).chain([&self.vars.collection, &self.vars.globals]);
            for scope in scopes {
                if let Some(value) = scope.get(&name) {
                    for r in resolve::references(&value.value) {
                        if !resolve::is_dynamic(r) && all.insert(r.to_owned()) {
                            queue.push(r.to_owned());
                        }
                    }
                }
            }
        }
        all.into_iter().map(|name| RuntimeVar { secret: self.vars.is_secret(&name), name }).collect()
    }
}

fn environments(vars: &Variables, runtime: &BTreeSet<RuntimeVar>) -> Vec<EnvironmentIr> {
    let build = |(name, short_name): (String, String), env: Option<usize>| EnvironmentIr {
        name,
        short_name,
        values: runtime
            .iter()
            .filter(|v| !v.secret)
            .filter_map(|v| {
                let value = vars.lookup(env, &v.name)?;
                (!value.value.is_empty() && !value.secret_typed).then(|| (v.name.clone(), value.value.clone()))
            })
            .collect(),
    };
    if vars.environments.is_empty() {
        vec![build(("Default".to_owned(), "default".to_owned()), None)]
    } else {
        let stems: Vec<&str> = vars.environments.iter().map(|(name, _)| name.stem.as_str()).collect();
        let shorts = unique_short_names(&stems);
        vars.environments
            .iter()
            .zip(shorts)
            .enumerate()
            .map(|(i, ((name, _), short))| build((name.name.clone(), short), Some(i)))
            .collect()
    }
}

/// The Content-Type Postman adds to a raw body whose request declares none (from the body's
/// language, `text/plain` by default), when it is not the one the generated call sends anyway
/// (`application/json` for a JSON body, `text/plain` for text).
fn raw_content_type(body: &model::Body, op: &Operation) -> Option<&'static str> {
    if body.mode.as_deref() != Some("raw") || op.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-type")) {
        return None;
    }
    let language = body.options.as_ref().and_then(|o| o.raw.as_ref()).and_then(|r| r.language.as_deref());
    let postman = match language {
        Some("json") => "application/json",
        Some("javascript") => "application/javascript",
        Some("html") => "text/html",
        Some("xml") => "application/xml",
        _ => "text/plain",
    };
    let sent = match op.body {
        Body::Json { .. } => "application/json",
        Body::Text { .. } => "text/plain",
        _ => return None,
    };
    (postman != sent).then_some(postman)
}

fn content_type_is_json(object: &RequestObject) -> bool {
    object.header.as_ref().is_some_and(|h| {
        h.to_list().iter().any(|kv| {
            !kv.disabled
                && kv.key.as_deref().is_some_and(|k| k.eq_ignore_ascii_case("content-type"))
                && kv.value.as_deref().is_some_and(|v| v.to_ascii_lowercase().contains("json"))
        })
    })
}

/// The file a `src` names: a path, or the first of a list of paths (`None` when empty, as
/// Postman leaves it when no file was chosen).
fn file_src(src: Option<&Value>) -> Option<String> {
    let first = match src? {
        Value::Array(list) => list.first()?,
        other => other,
    };
    first.as_str().filter(|s| !s.is_empty()).map(str::to_owned)
}

fn form_fields(list: &[KeyValue], file: impl Fn(&KeyValue) -> bool) -> Vec<FormField> {
    list.iter()
        .filter_map(|kv| {
            Some(FormField {
                name: kv.key.clone()?,
                example: kv.value.clone(),
                required: !kv.disabled,
                file: file(kv),
                src: None,
                content_type: None,
                docs: kv.description.as_ref().map(|d| to_rustdoc(d.text())).unwrap_or_default(),
            })
        })
        .collect()
}

/// The query values of saved examples' original requests, added to the request's parameters
/// of the same name (more samples for typing them).
fn example_query_values(item: &Item, params: &mut [QueryParam]) {
    for example in &item.response {
        let url = match &example.original_request {
            Some(Request::Full(request)) => request.url.as_ref().map(split_url),
            Some(Request::Url(raw)) => Some(split_url(&Url::Raw(raw.clone()))),
            None => None,
        };
        for kv in url.map(|u| u.query).unwrap_or_default() {
            let (Some(key), Some(value)) = (kv.key, kv.value) else { continue };
            if kv.disabled || value.is_empty() {
                continue;
            }
            for param in params.iter_mut().filter(|p| p.name == key) {
                param.samples.push(value.clone());
            }
        }
    }
}

/// A literal credential (`X-Api-Key: abc`, `Authorization: Basic …`, `?api_key=abc`,
/// `password=abc` in a form) never reaches generated code: it is replaced by `{{name}}`, a
/// variable named after the header, parameter or field in lower case, which the user sets with
/// `ClientBuilder::secret`. `None` when the name is not a credential's, or `value` is empty or
/// already a template. Names that only describe a credential (`token_type_hint`,
/// `subject_token_type`) and flag values (`tempPassword=true`) are not credentials.
fn credential_variable(name: &str, value: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let credential = resolve::credential_like(name) || lower.contains("authorization");
    let literal = !value.is_empty() && resolve::references(value).is_empty();
    let describes = lower.contains("type") || lower.contains("hint");
    let flag = value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false");
    (credential && literal && !describes && !flag).then(|| format!("{{{{{lower}}}}}"))
}

/// The parameters of a signing auth that its authorizer reads, sorted, empty ones left out (they
/// read as empty all the same); a literal credential becomes a `{{variable}}` reference named
/// after the kind and parameter (`{{awsv4-secret-key}}`), as `basic-password` for basic auth.
fn signed_params(kind: &signing::SigningKind, params: &BTreeMap<String, String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for key in kind.params {
        let Some(value) = params.get(*key).filter(|v| !v.is_empty()) else { continue };
        let literal = resolve::references(value).is_empty();
        let template = if literal && resolve::is_secret_auth_param(key) {
            format!("{{{{{}}}}}", signing::credential_variable(kind.name, key))
        } else {
            value.clone()
        };
        out.push(((*key).to_owned(), template));
    }
    out
}

/// The raw URL as part of an item key (`names.lock` shows keys), with the literal values of
/// credential-like query parameters replaced as [`credential_variable`] replaces them.
fn key_url(raw: &str) -> String {
    let Some((base, query)) = raw.split_once('?') else { return raw.to_owned() };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| {
            let hidden = pair.split_once('=').and_then(|(key, value)| Some(format!("{key}={}", credential_variable(key, value)?)));
            hidden.unwrap_or_else(|| pair.to_owned())
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

/// JSON bodies of saved examples' original requests (more samples for type inference).
fn example_request_bodies(item: &Item) -> Vec<Value> {
    item.response
        .iter()
        .filter_map(|example| match &example.original_request {
            Some(Request::Full(request)) => request.body.as_ref(),
            _ => None,
        })
        .filter(|body| body.mode.as_deref() == Some("raw") && !body.disabled)
        .filter_map(|body| body.raw.as_deref().and_then(parse_json_lenient))
        .collect()
}

/// Parses JSON as Postman users write it: `//` and `/* */` comments allowed, and unquoted
/// `{{variables}}` standing for values (read as `null`, so the field's type stays open).
pub fn parse_json_lenient(text: &str) -> Option<Value> {
    if let Ok(value) = serde_json::from_str(text) {
        return Some(value);
    }
    serde_json::from_str(&clean_json(text)).ok()
}

fn clean_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    let mut in_string = false;
    while let Some((i, c)) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some((_, escaped)) = chars.next() {
                    out.push(escaped);
                }
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        let next = chars.peek().map(|&(_, n)| n);
        match (c, next) {
            ('"', _) => {
                in_string = true;
                out.push('"');
            }
            ('/', Some('/')) => {
                while chars.peek().is_some_and(|&(_, n)| n != '\n') {
                    chars.next();
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut previous = ' ';
                for (_, n) in chars.by_ref() {
                    if previous == '*' && n == '/' {
                        break;
                    }
                    previous = n;
                }
            }
            ('{', Some('{')) => match text[i..].find("}}") {
                Some(end) => {
                    out.push_str("null");
                    while chars.peek().is_some_and(|&(j, _)| j < i + end + 2) {
                        chars.next();
                    }
                }
                None => out.push('{'),
            },
            _ => out.push(c),
        }
    }
    out
}

/// A URL split the way Postman sends it.
#[derive(Debug, Default)]
struct SplitUrl {
    raw: String,
    origin: String,
    segments: Vec<String>,
    query: Vec<KeyValue>,
    variables: BTreeMap<String, String>,
    variable_docs: BTreeMap<String, String>,
}

fn split_url(url: &Url) -> SplitUrl {
    match url {
        Url::Raw(raw) => split_raw(raw),
        Url::Object(object) => split_object(object),
    }
}

fn split_object(object: &UrlObject) -> SplitUrl {
    let raw = object.raw.clone().unwrap_or_default();
    if object.host.is_none() && object.path.is_none() {
        let mut split = split_raw(&raw);
        add_variables(&mut split, object);
        if !object.query.is_empty() {
            split.query = object.query.clone();
        }
        return split;
    }
    let host = match &object.host {
        Some(StringOrList::One(host)) => host.clone(),
        Some(StringOrList::Many(parts)) => {
            parts.iter().filter_map(|p| p.0.as_deref()).collect::<Vec<_>>().join(".")
        }
        None => String::new(),
    };
    let mut origin = String::new();
    if let Some(protocol) = object.protocol.as_deref().filter(|p| !p.is_empty()) {
        origin.push_str(protocol.trim_end_matches("://"));
        origin.push_str("://");
    } else if !host.starts_with("{{") && !host.contains("://") && !host.is_empty() {
        origin.push_str("http://");
    }
    origin.push_str(&host);
    if let Some(port) = object.port.as_deref().filter(|p| !p.is_empty()) {
        origin.push(':');
        origin.push_str(port);
    }
    let segments = match &object.path {
        Some(PathSegments::One(path)) => split_path(path),
        Some(PathSegments::Many(list)) => list.iter().map(|s| s.0.clone()).collect(),
        None => Vec::new(),
    };
    let mut split = SplitUrl { raw, origin, segments, query: object.query.clone(), ..Default::default() };
    add_variables(&mut split, object);
    split
}

fn add_variables(split: &mut SplitUrl, object: &UrlObject) {
    for variable in &object.variable {
        if let Some(name) = variable.name() {
            split.variables.insert(name.to_owned(), variable.value.clone().unwrap_or_default());
            if let Some(d) = &variable.description {
                split.variable_docs.insert(name.to_owned(), d.text().to_owned());
            }
        }
    }
}

fn split_path(path: &str) -> Vec<String> {
    let path = path.strip_prefix('/').unwrap_or(path);
    if path.is_empty() {
        return Vec::new();
    }
    path.split('/').map(str::to_owned).collect()
}

fn split_raw(raw: &str) -> SplitUrl {
    let without_hash = raw.split('#').next().unwrap_or("");
    let (before_query, query) = match without_hash.split_once('?') {
        Some((a, b)) => (a, Some(b)),
        None => (without_hash, None),
    };
    let (scheme, rest) = match before_query.split_once("://") {
        Some((scheme, rest)) if !scheme.contains('/') && !scheme.contains("{{") => (format!("{scheme}://"), rest),
        _ => (String::new(), before_query),
    };
    // The host ends at the first `/` outside a `{{...}}`.
    let mut depth = 0usize;
    let bytes = rest.as_bytes();
    let mut split_at = rest.len();
    let mut i = 0;
    // Scans bytes, not `str` slices: a non-ASCII host must not split a character.
    while i < bytes.len() {
        if bytes[i..].starts_with(b"{{") {
            depth += 1;
            i += 2;
            continue;
        }
        if bytes[i..].starts_with(b"}}") && depth > 0 {
            depth -= 1;
            i += 2;
            continue;
        }
        if bytes[i] == b'/' && depth == 0 {
            split_at = i;
            break;
        }
        i += 1;
    }
    let (host, path) = rest.split_at(split_at);
    let mut origin = scheme;
    if origin.is_empty() && !host.starts_with("{{") && !host.is_empty() {
        origin.push_str("http://");
    }
    origin.push_str(host);
    let query = query
        .map(|q| {
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|pair| {
                    let (key, value) = match pair.split_once('=') {
                        Some((k, v)) => (k, Some(v.to_owned())),
                        None => (pair, None),
                    };
                    KeyValue { key: Some(key.to_owned()), value, ..Default::default() }
                })
                .collect()
        })
        .unwrap_or_default();
    SplitUrl { raw: raw.to_owned(), origin, segments: split_path(path), query, ..Default::default() }
}

/// Reads an environment file given to the generator (`stem`: its file name without
/// `.postman_environment.json`) into its names and values.
pub fn environment_scope(stem: &str, env: &model::Environment) -> (EnvName, Vec<model::EnvValue>) {
    let name = EnvName { name: env.name.clone().unwrap_or_else(|| stem.to_owned()), stem: stem.to_owned() };
    (name, env.values.clone())
}

/// Short names from file stems: kebab case, made unique in file order (`prod`, `prod-2`), an
/// empty one spelled `env`.
fn unique_short_names(stems: &[&str]) -> Vec<String> {
    let mut taken = BTreeSet::new();
    stems
        .iter()
        .map(|stem| {
            let short = heck::ToKebabCase::to_kebab_case(*stem);
            let base = if short.is_empty() { "env".to_owned() } else { short };
            let mut candidate = base.clone();
            let mut n = 2;
            while !taken.insert(candidate.clone()) {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            candidate
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_urls() {
        let u = split_raw("{{base}}/users/:id?x=1&flag#frag");
        assert_eq!(u.origin, "{{base}}");
        assert_eq!(u.segments, vec!["users", ":id"]);
        assert_eq!(u.query.len(), 2);
        assert_eq!(u.query[1].value, None);
        let u = split_raw("example.com");
        assert_eq!(u.origin, "http://example.com");
        let u = split_raw("https://a.b/c/");
        assert_eq!(u.origin, "https://a.b");
        assert_eq!(u.segments, vec!["c", ""]);
        let u = split_raw("{{host}}/{{ver}}/x");
        assert_eq!(u.origin, "{{host}}");
        let u = split_raw("http://é.example/a");
        assert_eq!((u.origin.as_str(), u.segments.as_slice()), ("http://é.example", &["a".to_owned()][..]));
    }

    #[test]
    fn credential_literals_become_variables_in_keys() {
        assert_eq!(key_url("https://x/a?api_key=s3cr3t&page=2&token={{t}}"), "https://x/a?api_key={{api_key}}&page=2&token={{t}}");
        assert_eq!(key_url("https://x/a"), "https://x/a");
        assert_eq!(credential_variable("X-Api-Key", "abc").as_deref(), Some("{{x-api-key}}"));
        assert_eq!(credential_variable("X-Api-Key", ""), None);
        assert_eq!(credential_variable("tempPassword", "true"), None);
        assert_eq!(credential_variable("token_type_hint", "access_token"), None);
        assert_eq!(credential_variable("password", "hunter2").as_deref(), Some("{{password}}"));
        assert_eq!(credential_variable("page", "2"), None);
    }

    /// jwt/asap with ES512 (which the runtime cannot sign) is generated, with a warning at
    /// generation time rather than only a configuration error at the first call.
    #[test]
    fn es512_tokens_warn() {
        let text = r#"{"info": {"name": "t", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
            "item": [
              {"name": "es512", "request": {"method": "GET", "url": "https://x/a",
                "auth": {"type": "jwt", "jwt": [{"key": "algorithm", "value": "ES512"}, {"key": "privateKey", "value": "k"}]}}},
              {"name": "hs256", "request": {"method": "GET", "url": "https://x/b",
                "auth": {"type": "jwt", "jwt": [{"key": "algorithm", "value": "HS256"}, {"key": "secret", "value": "s"}]}}}
            ]}"#;
        let (collection, _) = crate::parse::parse_collection(text.as_bytes(), std::path::Path::new("t.json")).unwrap();
        let api = lower(&collection, Variables::new(&[], Vec::new(), &[]));
        let es512: Vec<&String> = api.warnings.iter().filter(|w| w.contains("ES512")).collect();
        assert_eq!(es512.len(), 1, "{:?}", api.warnings);
        assert!(es512[0].contains("es512: jwt auth with algorithm ES512 is not supported"), "{}", es512[0]);
    }

    #[test]
    fn signed_params_keep_what_postman_reads_with_credentials_as_variables() {
        let params = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
        };
        let aws = signing::kind("awsv4").unwrap();
        let given = params(&[
            ("secretKey", "wJalr/K7MDENG"),
            ("accessKey", "{{my-key}}"),
            ("sessionToken", ""),
            ("region", "{{region}}"),
            ("service", "s3"),
            ("addAuthDataToQuery", "false"),
            ("saveHelperData", "true"),
        ]);
        assert_eq!(
            signed_params(aws, &given),
            [
                ("accessKey", "{{my-key}}"),
                ("addAuthDataToQuery", "false"),
                ("region", "{{region}}"),
                ("secretKey", "{{awsv4-secret-key}}"),
                ("service", "s3"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        // Every kind: each credential it reads is replaced, everything else it reads is kept.
        for kind in signing::SIGNING_KINDS {
            let given: BTreeMap<String, String> =
                kind.params.iter().map(|p| ((*p).to_owned(), format!("literal-{p}"))).collect();
            let signed = signed_params(kind, &given);
            assert_eq!(signed.len(), kind.params.len(), "{}", kind.name);
            for (key, template) in signed {
                if resolve::is_secret_auth_param(&key) {
                    assert_eq!(template, format!("{{{{{}}}}}", signing::credential_variable(kind.name, &key)));
                } else {
                    assert_eq!(template, format!("literal-{key}"));
                }
            }
        }
    }

    #[test]
    fn lenient_json() {
        let v = parse_json_lenient("{\n // c\n \"a\": {{id}}, /* x */ \"b\": \"{{s}}\", \"é\": 1}").unwrap();
        assert_eq!(v["a"], Value::Null);
        assert_eq!(v["b"], "{{s}}");
        assert_eq!(v["é"], 1);
        assert!(parse_json_lenient("{not json").is_none());
    }
}

//! Stage 3: the intermediate representation — plain data, no Rust syntax, no Postman JSON.
//!
//! Everything the later stages need is here, already resolved: variables are classified,
//! auth is inherited, bodies are decoded into samples. Names are still the raw Postman names;
//! `names` turns them into identifiers. Everything hashes (see [`crate::fingerprint`]).

use std::collections::BTreeSet;

/// One whole API: what a generated crate describes.
#[derive(Debug, Clone, Default)]
pub struct Api {
    /// The collection's name.
    pub name: String,
    /// The collection's description (Markdown).
    pub docs: String,
    /// The folder tree; the root holds the collection's top-level requests.
    pub root: Module,
    /// One per environment file, in the order given (or one built from collection variables).
    pub environments: Vec<EnvironmentIr>,
    /// Variables the client renders at run time (base URLs, header values, credentials).
    pub runtime_vars: BTreeSet<RuntimeVar>,
    /// Auth blocks defined on the collection or on folders (requests refer to them by origin).
    pub shared_auth: Vec<SharedAuth>,
    /// Things the user should know (unsupported auth, untyped bodies), one line each.
    pub warnings: Vec<String>,
}

/// A variable the generated client reads from its variable table at run time.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuntimeVar {
    /// The Postman variable name.
    pub name: String,
    /// Secret-typed or credential-like: never has a default in generated code.
    pub secret: bool,
}

/// Values from one environment file.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentIr {
    /// The environment's name (or file stem).
    pub name: String,
    /// The short name a program picks it by (`Environment::from_str`): the file's stem in
    /// kebab case (`us` for `us.postman_environment.json`), `default` without environment files.
    pub short_name: String,
    /// Non-secret defaults for runtime variables, sorted by name.
    pub values: Vec<(String, String)>,
}

/// A folder.
#[derive(Debug, Clone, Default)]
pub struct Module {
    /// The folder's Postman name (empty for the root).
    pub name: String,
    /// The folder's id, or its item path.
    pub key: String,
    /// Folder names from the root down to this one.
    pub item_path: Vec<String>,
    /// Description (Markdown).
    pub docs: String,
    /// Sub-folders, in collection order.
    pub modules: Vec<Module>,
    /// Requests, in collection order.
    pub operations: Vec<Operation>,
}

/// One request.
#[derive(Debug, Clone, Default)]
pub struct Operation {
    /// The request's Postman name.
    pub name: String,
    /// Stable key: the item id, or the item path + method + URL.
    pub key: String,
    /// Folder and request names from the root.
    pub item_path: Vec<String>,
    /// Upper-case HTTP method.
    pub method: String,
    /// The URL: the origin (as a template) then the path, as literal and parameter parts.
    pub url: Vec<UrlPart>,
    /// Path parameters in order of appearance.
    pub path_params: Vec<PathParam>,
    /// Query parameters the caller passes.
    pub query: Vec<QueryParam>,
    /// Query parameters rendered from client variables (e.g. `api_key={{key}}`).
    pub runtime_query: Vec<(String, String)>,
    /// Every query parameter name (of `query` and `runtime_query`) in the collection's order,
    /// which the runtime keeps on the wire.
    pub query_order: Vec<String>,
    /// `protocolProfileBehavior.disabledSystemHeaders` turns off the Content-Type Postman
    /// derives from the body: the body is sent without one (unless `headers` declare one).
    pub omit_content_type: bool,
    /// Headers sent with every call (values are templates).
    pub headers: Vec<(String, String)>,
    /// The request body.
    pub body: Body,
    /// Effective auth after inheritance.
    pub auth: AuthRef,
    /// Every saved example whose response body is JSON, in collection order (success and error
    /// responses alike), for error types and the generated round-trip tests.
    pub examples: Vec<ExampleResponse>,
    /// Whether any saved example describes a success response (even a non-JSON one).
    pub has_success_example: bool,
    /// A saved success example has a body that is not JSON (XML, text).
    pub success_is_text: bool,
    /// Description (Markdown).
    pub docs: String,
    /// The `Link` header values of the saved success examples (pagination detection).
    pub link_headers: Vec<String>,
    /// Position in the collection's run order (depth first, as Newman runs it).
    pub order: usize,
}

impl Operation {
    /// JSON samples of successful responses: the bodies of the success examples (kept once,
    /// in `examples`).
    pub fn success_samples(&self) -> impl Iterator<Item = &serde_json::Value> + Clone {
        self.examples.iter().filter(|e| e.is_success()).map(|e| &e.body)
    }

    /// The URL path after the origin, with parameters as `{name}`, for `surface.txt`.
    pub fn path_template(&self) -> String {
        let mut out = String::new();
        for part in self.url.iter().skip(1) {
            match part {
                UrlPart::Literal(text) => out.push_str(text),
                UrlPart::Param(index) => {
                    out.push('{');
                    out.push_str(&self.path_params[*index].name);
                    out.push('}');
                }
            }
        }
        if out.is_empty() {
            out.push('/');
        }
        out
    }
}

/// A saved example response with a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleResponse {
    /// The example's name in the collection.
    pub name: String,
    /// The HTTP status code, when the example gives one.
    pub status: Option<u16>,
    /// The parsed body.
    pub body: serde_json::Value,
}

impl ExampleResponse {
    /// A 2xx response (or one without a status, which Postman treats as success).
    pub fn is_success(&self) -> bool {
        self.status.is_none_or(|c| (200..300).contains(&c))
    }

    /// A 4xx or 5xx response.
    pub fn is_error(&self) -> bool {
        self.status.is_some_and(|c| (400..600).contains(&c))
    }
}

/// Part of a URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UrlPart {
    /// Template text (may contain `{{var}}` rendered from client variables).
    Literal(String),
    /// The path parameter with this index in `Operation::path_params`.
    Param(usize),
}

/// A path parameter (`:name` segment or a `{{var}}` segment nobody defines).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PathParam {
    /// Name as written in the collection.
    pub name: String,
    /// The value the collection holds, if any.
    pub example: Option<String>,
    /// Description.
    pub docs: String,
}

/// A query parameter the caller passes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QueryParam {
    /// Wire name.
    pub name: String,
    /// The value the collection holds.
    pub example: Option<String>,
    /// Enabled with a value in the collection: the caller must pass it.
    pub required: bool,
    /// Enabled in the collection (possibly with an empty value).
    pub enabled: bool,
    /// The values the saved examples' requests give it (more samples for typing it).
    pub samples: Vec<String>,
    /// Description.
    pub docs: String,
}

/// A request body.
#[derive(Debug, Clone, Default)]
pub enum Body {
    /// No body.
    #[default]
    None,
    /// A JSON body, with every sample the collection holds (request and saved examples).
    Json {
        /// Parsed samples; the first is the request's own body.
        samples: Vec<serde_json::Value>,
        /// The request's body text as written (may contain `{{variables}}`).
        raw: String,
    },
    /// Raw text (XML, plain text, JSON that could not be read).
    Text {
        /// The collection's body text.
        example: String,
    },
    /// `application/x-www-form-urlencoded`.
    UrlEncoded {
        /// Fields in order.
        fields: Vec<FormField>,
    },
    /// `multipart/form-data`.
    FormData {
        /// Parts in order.
        fields: Vec<FormField>,
    },
    /// A binary file as the whole body.
    File {
        /// The file the collection names (`body.file.src`), if any.
        src: Option<String>,
    },
    /// GraphQL query + variables, sent as JSON.
    GraphQl {
        /// The query text.
        query: String,
        /// The variables, if they are valid JSON.
        variables: Option<serde_json::Value>,
    },
}

/// A urlencoded field or a multipart part.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FormField {
    /// Wire name.
    pub name: String,
    /// The value the collection holds (text parts).
    pub example: Option<String>,
    /// Enabled in the collection (disabled ones become optional).
    pub required: bool,
    /// A file part (multipart only).
    pub file: bool,
    /// The file a file part names (`src`; the first of a list), if any.
    pub src: Option<String>,
    /// The part's content type as the collection sets it (`contentType`), if any.
    pub content_type: Option<String>,
    /// Description.
    pub docs: String,
}

/// Which auth a request uses.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub enum AuthRef {
    /// No auth (no block anywhere up the tree, or `noauth`).
    #[default]
    None,
    /// The shared auth with this index in `Api::shared_auth`.
    Shared(usize),
    /// An auth block on the request itself.
    Own(Box<Auth>),
}

/// An auth block defined on the collection or a folder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SharedAuth {
    /// Folder names from the root (empty for the collection).
    pub item_path: Vec<String>,
    /// The scheme.
    pub auth: Auth,
}

/// An auth scheme with its values as templates (credentials always as `{{var}}` references).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Auth {
    /// `Authorization: Bearer <token>`.
    Bearer {
        /// Token template.
        token: String,
    },
    /// HTTP basic.
    Basic {
        /// User template.
        username: String,
        /// Password template.
        password: String,
    },
    /// An API key in a header or the query.
    ApiKey {
        /// Header or query parameter name.
        key: String,
        /// Value template.
        value: String,
        /// In the query string instead of a header.
        in_query: bool,
    },
    /// OAuth 2.0 (token sent as a header with a prefix, or in the query).
    OAuth2(OAuth2),
    /// A scheme that signs each request or answers a server challenge (`awsv4`, `oauth1`,
    /// `hawk`, `edgegrid`, `digest`, `ntlm`, `jwt`, `asap`; see [`crate::signing`]).
    Signed {
        /// Postman's type name, e.g. `awsv4`.
        kind: String,
        /// The parameters its authorizer reads, sorted by key, as templates: credentials are
        /// always `{{variable}}` references; empty values are left out (they read as empty).
        params: Vec<(String, String)>,
    },
    /// A scheme the runtime does not implement; the caller adds headers.
    Unsupported {
        /// Postman's type name.
        kind: String,
    },
}

/// Postman's `oauth2` auth parameters that matter at run time.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct OAuth2 {
    /// Access-token template, e.g. `{{access-token}}`.
    pub access_token: String,
    /// Header prefix (default `Bearer`).
    pub header_prefix: String,
    /// Token goes into the query string.
    pub add_to_query: bool,
    /// Authorization endpoint template.
    pub auth_url: String,
    /// Token endpoint template.
    pub token_url: String,
    /// Default scopes.
    pub scope: String,
    /// Client id template.
    pub client_id: String,
    /// Client secret template.
    pub client_secret: String,
    /// Redirect URI template.
    pub redirect_uri: String,
    /// Refresh-token template (`{{refresh-token}}`), if the collection names one.
    pub refresh_token: String,
    /// Variable holding the expiry time in epoch milliseconds, if any.
    pub expiry_time: String,
    /// Client credentials go in the body (else HTTP basic).
    pub client_auth_in_body: bool,
}

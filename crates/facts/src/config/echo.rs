//! Request/response settings (`echo`, `big-reply`, `many-clients`, `hmac-handshake`): what the
//! engine's echo client and server read, kept here with every other setting.

use serde::{Deserialize, Serialize};

use super::{check_range, Setting, SettingError};

/// How the client reads each reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ClientReads {
    /// `recv()` until the whole reply is in: correct.
    #[default]
    Whole,
    /// One `recv(N)` per request, as the seed's remote-command client does: a reply longer
    /// than `N` leaves bytes behind that come out as the start of the next reply.
    OncePerRequest,
}

/// Request/response settings. Requests are the workload's messages (count, sizes, gaps).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EchoOptions {
    /// Reply length in bytes; `None` = the request's payload upper-cased (the seed's echo).
    pub reply_size: Option<u32>,
    /// The client's `recv(N)` for replies.
    pub client_read_size: u32,
    pub client_reads: ClientReads,
    /// The seed's HMAC connection check before the first request (`hmac-handshake`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handshake: Option<HandshakeOptions>,
    /// Concurrent client connections to the one server, a thread per connection on each side
    /// (the seed's socketserver lesson). 1 = a single connection.
    pub connections: u32,
}

impl Default for EchoOptions {
    fn default() -> Self {
        Self {
            reply_size: None,
            client_read_size: 1024,
            client_reads: ClientReads::Whole,
            handshake: None,
            connections: 1,
        }
    }
}

impl EchoOptions {
    pub fn validate(&self) -> Result<(), SettingError> {
        check_range(Setting::Connections, self.connections.into())?;
        check_range(Setting::ClientReadSize, self.client_read_size.into())?;
        if let Some(n) = self.reply_size {
            check_range(Setting::ReplySize, n.into())?;
        }
        Ok(())
    }
}

/// Most concurrent connections of a many-clients run: each one is a lane group on screen.
pub const MAX_CONNECTIONS: u32 = 16;

/// Handshake settings of a request/response run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct HandshakeOptions {
    /// The client answers with the wrong key: the server must refuse it.
    pub wrong_key: bool,
}

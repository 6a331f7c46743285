//! Everything that turns a run into a file or text: the text timeline, the SVG lanes, the
//! pcapng of captured packets, the request/response report, and the picture options they share.
//! Below both `cli` and `ui`, so either can write any of them.

pub mod causes_text;
pub mod compare;
pub mod echo_report;
pub mod options;
pub mod pcapng;
pub mod pcapng_comments;
pub mod questions;
pub mod svg;
pub mod text_timeline;
pub mod units;

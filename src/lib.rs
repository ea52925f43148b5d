//! feidi: a static site generator for directories of science-and-technology enclaves (科创飞地).
//!
//! The pipeline runs one way, one module per stage:
//!
//! 1. [`load`]: walk `content/`, split front matter, parse YAML with positions;
//! 2. [`resolve`]: check fields, resolve references, roll places up, link entries both ways,
//!    producing the immutable [`model::Site`];
//! 3. [`render`] (HTML pages through the [`theme`]) and [`index`] (open data, sitemap, feed);
//! 4. [`output`]: write everything to `public/` in one atomic swap.
//!
//! [`pipeline::run`] chains stages 1–3; the commands in [`commands`] are thin shells around it.
//! [`serve`] runs the same stages incrementally for the dev server, serving from memory.

pub mod annotations;
pub mod assets;
pub mod commands;
pub mod diagnostics;
pub mod escape;
pub mod field_table;
pub mod format;
pub mod hash;
pub mod i18n;
pub mod index;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod term;
pub mod theme;
pub mod urls;

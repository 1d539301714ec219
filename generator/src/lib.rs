//! The Intercom client generator: load, normalize, emit, diff.
pub mod error;
pub mod ir;
pub mod load;
pub mod normalize;

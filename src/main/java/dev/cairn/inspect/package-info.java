/**
 * What Cairn learns from an asset's bytes when they arrive: statistics of tabular files (CSV, TSV,
 * JSON lines, Parquet, through an embedded DuckDB), the structure of model files (safetensors,
 * ONNX, PyTorch and Keras archives, HDF5, pickles, which are scanned and never unpickled), the
 * properties of images, video and audio (metadata-extractor) and the shape of JSON and YAML
 * configs. Every reading is bounded in time and memory, and a file that cannot be read is
 * described by the reason, never refused for it.
 *
 * <p>Uses {@code platform} only; the store hands it a local file, the registry stores what it
 * finds.
 */
package dev.cairn.inspect;

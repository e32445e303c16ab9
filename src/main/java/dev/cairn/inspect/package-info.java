/**
 * What Cairn learns from an asset's bytes when they arrive: statistics of tabular files (CSV, TSV,
 * JSON lines, Parquet, through an embedded DuckDB), the structure of model files (safetensors,
 * ONNX, PyTorch and Keras archives, HDF5, pickles, which are scanned and never unpickled), the
 * properties of images, video and audio (metadata-extractor) and the shape of JSON and YAML
 * configs. Every reading is bounded in time and memory, and a file that cannot be read is
 * described by the reason, never refused for it.
 *
 * <p>What was read is kept once per blob ({@code BlobInfos}, in the system database): the registry
 * reads its uploads before accepting them; other new versions under a catalog's namespace (Hatrac
 * PUTs, upload jobs, executions' outputs) are read in the background when the store reports them.
 *
 * <p>Uses {@code store} (new versions, and their bytes as local files) and {@code platform}; the
 * registry and {@code asset} use it.
 */
package dev.cairn.inspect;

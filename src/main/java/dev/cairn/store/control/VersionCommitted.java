package dev.cairn.store.control;

/**
 * Fired (asynchronously, after its transaction) for every new object version: a PUT, a completed
 * upload job, an execution's committed output. Other features observe it to learn about new
 * bytes without the store knowing them.
 */
public record VersionCommitted(VersionInfo version) {}

package dev.cairn.store.control;

/**
 * Fired after its transaction, on the committing thread, for every new object version: a PUT, a
 * completed upload job, an execution's committed output. Other features observe it to learn about
 * new bytes without the store knowing them. An observer only notes the version (it queues its own
 * work) and never throws: the writer's answer waits for it.
 */
public record VersionCommitted(VersionInfo version) {}

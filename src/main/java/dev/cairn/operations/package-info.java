/**
 * What operators and client writers look at first: the OpenAPI 3.1 document at {@code /openapi}
 * (written by hand in {@code openapi.yaml}, merged with the JAX-RS resources by
 * {@link dev.cairn.operations.control.ApiDocument}), Swagger UI over it at {@code /api-docs}, and
 * the Prometheus metrics at {@code /metrics} ({@link dev.cairn.platform.Metrics}), with the gauges
 * it asks other components for ({@link dev.cairn.operations.control.Gauges}).
 *
 * <p>Uses {@code platform}, and reads counts from {@code store} (open upload jobs), {@code security}
 * (the audit log's length) and {@code execution} (commits running); owns no tables.
 */
package dev.cairn.operations;

/**
 * Workflows and executions (DerivaML's {@code create_workflow}, {@code create_execution}, status
 * changes, {@code asset_file_path} and {@code upload_execution_outputs}) under
 * {@code /api/catalogs/{cid}}. Output files are staged into the object store's staging area
 * ({@link dev.cairn.execution.control.Workspaces}), so that any node can commit them; a commit
 * ({@link dev.cairn.execution.control.OutputCommits}) turns them into object-store versions and
 * asset rows all at once, under a lease, and any node finishes a commit whose node died.
 *
 * <p>Uses {@code asset}, {@code dataset} (the dataset versions executions consume), {@code
 * vocabulary}, {@code catalog}, {@code store} (through
 * {@code ObjectStore}), {@code ml} and {@code platform}.
 */
package dev.cairn.execution;

/**
 * Workflows and executions (DerivaML's {@code create_workflow}, {@code create_execution}, status
 * changes, {@code asset_file_path} and {@code upload_execution_outputs}) under
 * {@code /api/catalogs/{cid}}. Each execution has a working directory on the server
 * ({@link dev.cairn.execution.control.Workspaces}, an EJB that owns
 * {@code <data dir>/executions}) where output files are staged; a commit
 * ({@link dev.cairn.execution.control.OutputCommits}) turns them into object-store versions and
 * asset rows all at once, and start-up finishes commits a crash interrupted.
 *
 * <p>Uses {@code asset}, {@code dataset} (the dataset versions executions consume), {@code vocabulary}, {@code catalog}, {@code store} (through
 * {@code ObjectStore}), {@code ml} and {@code platform}.
 */
package dev.cairn.execution;

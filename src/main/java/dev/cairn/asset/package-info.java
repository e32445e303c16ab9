/**
 * File assets (DerivaML's {@code create_asset}, {@code list_assets}) and their provenance: asset
 * tables with {@code URL}, {@code Filename}, {@code Length}, {@code MD5} and {@code Description},
 * their {@code {Asset}_Asset_Type} and {@code {Asset}_Execution} associations, one asset with the
 * executions that used or produced it, the lineage graph computed by recursive SQL (with the
 * relationships between registered assets, rows of {@code deriva-ml:Registered_Asset_Relationship}), and the
 * store's {@code ObjectReferences}: an asset's file is readable by whoever may select its row and
 * cannot be deleted while the row refers to it.
 *
 * <p>Uses {@code catalog}, {@code vocabulary}, {@code ml}, {@code store} (its names and SPI) and
 * {@code platform}, and {@code inspect} (what was read from an asset's file, shown as its
 * {@code File_Info}). The {@code execution} and {@code registry} features use it; it uses neither.
 */
package dev.cairn.asset;

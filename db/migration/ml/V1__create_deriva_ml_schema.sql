-- DerivaML's ML schema: vocabularies, workflows, executions, datasets and the built-in asset
-- tables, with the association tables that link them. Helpers live in pg_temp for this migration
-- only; they are dropped at the end.

CREATE SCHEMA "deriva-ml";
COMMENT ON SCHEMA "deriva-ml" IS 'DerivaML: workflows, executions, datasets, assets and their provenance.';

-- A controlled vocabulary: terms with a unique Name that foreign keys point at.
CREATE FUNCTION pg_temp.create_vocabulary(vocabulary text, table_comment text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($ddl$
        CREATE TABLE "deriva-ml".%1$I (
            LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS,
            "ID"          public.ermrest_curie NOT NULL DEFAULT 'deriva-ml:{RID}',
            "URI"         public.ermrest_uri   NOT NULL DEFAULT '/id/{RID}',
            "Name"        text                 NOT NULL,
            "Description" public.markdown      NOT NULL,
            "Synonyms"    text[],
            CONSTRAINT %2$I UNIQUE ("ID"),
            CONSTRAINT %3$I UNIQUE ("URI"),
            CONSTRAINT %4$I UNIQUE ("Name")
        )$ddl$, vocabulary, vocabulary || '_IDkey1', vocabulary || '_URIkey1', vocabulary || '_Namekey1');
    PERFORM _ermrest.register_table('deriva-ml', vocabulary);
    EXECUTE format('CREATE TRIGGER ermrest_rid_templates BEFORE INSERT ON "deriva-ml".%I '
                   'FOR EACH ROW EXECUTE FUNCTION _ermrest.fill_rid_templates(''ID'', ''URI'')', vocabulary);
    EXECUTE format('COMMENT ON TABLE "deriva-ml".%I IS %L', vocabulary, table_comment);
    EXECUTE format('COMMENT ON COLUMN "deriva-ml".%I."ID" IS %L', vocabulary, 'Compact URI (CURIE) of the term.');
    EXECUTE format('COMMENT ON COLUMN "deriva-ml".%I."URI" IS %L', vocabulary, 'URI of the term.');
    EXECUTE format('COMMENT ON COLUMN "deriva-ml".%I."Name" IS %L', vocabulary, 'Name of the term, unique in the vocabulary.');
    EXECUTE format('COMMENT ON COLUMN "deriva-ml".%I."Description" IS %L', vocabulary, 'What the term means.');
    EXECUTE format('COMMENT ON COLUMN "deriva-ml".%I."Synonyms" IS %L', vocabulary, 'Other names by which the term can be looked up.');
END
$$;

-- An association between two tables: one foreign key to each, unique as a pair.
CREATE FUNCTION pg_temp.create_association(association text, left_column text, left_table text,
                                           right_column text, right_table text, right_key text,
                                           table_comment text, left_comment text, right_comment text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($ddl$
        CREATE TABLE "deriva-ml".%1$I (
            LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS,
            %2$I text NOT NULL,
            %4$I text NOT NULL,
            CONSTRAINT %7$I UNIQUE (%2$I, %4$I),
            CONSTRAINT %8$I FOREIGN KEY (%2$I) REFERENCES "deriva-ml".%3$I ("RID"),
            CONSTRAINT %9$I FOREIGN KEY (%4$I) REFERENCES "deriva-ml".%5$I (%6$I)
        )$ddl$, association, left_column, left_table, right_column, right_table, right_key,
        association || '_' || left_column || '_' || right_column || '_key',
        association || '_' || left_column || '_fkey',
        association || '_' || right_column || '_fkey');
    PERFORM _ermrest.register_table('deriva-ml', association);
    EXECUTE format('COMMENT ON TABLE "deriva-ml".%I IS %L', association, table_comment);
    EXECUTE format('COMMENT ON COLUMN "deriva-ml".%I.%I IS %L', association, left_column, left_comment);
    EXECUTE format('COMMENT ON COLUMN "deriva-ml".%I.%I IS %L', association, right_column, right_comment);
END
$$;

-- An asset table: a file in the object store described by URL, Filename, Length and MD5, with
-- its {Asset}_Asset_Type and {Asset}_Execution (with Asset_Role) associations.
CREATE FUNCTION pg_temp.create_asset_table(asset text, table_comment text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($ddl$
        CREATE TABLE "deriva-ml".%1$I (
            LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS,
            "URL"         text NOT NULL,
            "Filename"    text,
            "Description" public.markdown,
            "Length"      int8 NOT NULL CHECK ("Length" >= 0),
            "MD5"         text NOT NULL CHECK ("MD5" ~ '^[0-9a-f]{32}$')
        )$ddl$, asset);
    PERFORM _ermrest.register_table('deriva-ml', asset);
    EXECUTE format('COMMENT ON TABLE "deriva-ml".%I IS %L', asset, table_comment);
    EXECUTE format('COMMENT ON COLUMN "deriva-ml".%I."URL" IS %L', asset, 'Object store URL of the file version.');
    EXECUTE format('COMMENT ON COLUMN "deriva-ml".%I."Filename" IS %L', asset, 'Original name of the file.');
    EXECUTE format('COMMENT ON COLUMN "deriva-ml".%I."Description" IS %L', asset, 'What the file is.');
    EXECUTE format('COMMENT ON COLUMN "deriva-ml".%I."Length" IS %L', asset, 'Size of the file in bytes.');
    EXECUTE format('COMMENT ON COLUMN "deriva-ml".%I."MD5" IS %L', asset, 'MD5 checksum of the file, lower-case hex.');
    INSERT INTO _ermrest.annotation (schema_name, table_name, column_name, uri, value)
    VALUES ('deriva-ml', asset, 'URL', 'tag:isrd.isi.edu,2017:asset', jsonb_build_object(
        'url_pattern', '/hatrac/{{$catalog.id}}/deriva-ml/' || asset || '/{{{MD5}}}.{{#encode}}{{{Filename}}}{{/encode}}',
        'filename_column', 'Filename',
        'byte_count_column', 'Length',
        'md5', 'MD5'));

    PERFORM pg_temp.create_association(asset || '_Asset_Type', asset, asset, 'Asset_Type', 'Asset_Type', 'Name',
        'Types of each ' || asset || ' file.', 'The ' || asset || ' row.', 'An Asset_Type term of the file.');
    PERFORM pg_temp.create_association(asset || '_Execution', asset, asset, 'Execution', 'Execution', 'RID',
        'Executions that used (Input) or produced (Output) each ' || asset || ' file.',
        'The ' || asset || ' row.', 'The execution.');
    EXECUTE format('ALTER TABLE "deriva-ml".%I ADD COLUMN "Asset_Role" text NOT NULL, '
                   'ADD CONSTRAINT %I FOREIGN KEY ("Asset_Role") REFERENCES "deriva-ml"."Asset_Role" ("Name")',
                   asset || '_Execution', asset || '_Execution_Asset_Role_fkey');
    EXECUTE format('COMMENT ON COLUMN "deriva-ml".%I."Asset_Role" IS %L', asset || '_Execution',
                   'Input or Output: how the execution related to the file.');
END
$$;

-- Vocabularies
SELECT pg_temp.create_vocabulary('Asset_Type', 'Kinds of file assets, used to filter and organise them.');
SELECT pg_temp.create_vocabulary('Asset_Role', 'How an execution relates to an asset: Input or Output.');
SELECT pg_temp.create_vocabulary('Dataset_Type', 'Kinds of datasets, such as Training or Testing.');
SELECT pg_temp.create_vocabulary('Workflow_Type', 'Kinds of workflows, such as Training or Prediction.');
SELECT pg_temp.create_vocabulary('Execution_Status', 'States of an execution, from Created to Uploaded.');
SELECT pg_temp.create_vocabulary('Feature_Name', 'Names of features computed for domain records.');

-- Workflows: what code ran.
CREATE TABLE "deriva-ml"."Workflow" (
    LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS,
    "Name"        text,
    "Description" public.markdown,
    "URL"         public.ermrest_uri,
    "Checksum"    text,
    "Version"     text
);
SELECT _ermrest.register_table('deriva-ml', 'Workflow');
COMMENT ON TABLE "deriva-ml"."Workflow" IS 'A reusable computational process: the code an execution runs.';
COMMENT ON COLUMN "deriva-ml"."Workflow"."Name" IS 'Name of the workflow.';
COMMENT ON COLUMN "deriva-ml"."Workflow"."Description" IS 'What the workflow does.';
COMMENT ON COLUMN "deriva-ml"."Workflow"."URL" IS 'Where the workflow''s source code is.';
COMMENT ON COLUMN "deriva-ml"."Workflow"."Checksum" IS 'Checksum (e.g. git object id) of the source code.';
COMMENT ON COLUMN "deriva-ml"."Workflow"."Version" IS 'Version of the workflow.';

SELECT pg_temp.create_association('Workflow_Workflow_Type', 'Workflow', 'Workflow', 'Workflow_Type', 'Workflow_Type', 'Name',
    'Types of each workflow.', 'The workflow.', 'A Workflow_Type term.');

-- Executions: one run of a workflow.
CREATE TABLE "deriva-ml"."Execution" (
    LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS,
    "Workflow"           text,
    "Description"        public.markdown,
    "Execution_Duration" text,
    "Download_Duration"  text,
    "Upload_Duration"    text,
    "Status"             text,
    "Status_Detail"      text,
    CONSTRAINT "Execution_Workflow_fkey" FOREIGN KEY ("Workflow") REFERENCES "deriva-ml"."Workflow" ("RID"),
    CONSTRAINT "Execution_Status_fkey" FOREIGN KEY ("Status") REFERENCES "deriva-ml"."Execution_Status" ("Name")
);
SELECT _ermrest.register_table('deriva-ml', 'Execution');
COMMENT ON TABLE "deriva-ml"."Execution" IS 'One run of a workflow, with its inputs, outputs and status.';
COMMENT ON COLUMN "deriva-ml"."Execution"."Workflow" IS 'The workflow that ran.';
COMMENT ON COLUMN "deriva-ml"."Execution"."Description" IS 'What this run was for.';
COMMENT ON COLUMN "deriva-ml"."Execution"."Execution_Duration" IS 'Time the algorithm ran.';
COMMENT ON COLUMN "deriva-ml"."Execution"."Download_Duration" IS 'Time spent fetching inputs.';
COMMENT ON COLUMN "deriva-ml"."Execution"."Upload_Duration" IS 'Time spent committing outputs.';
COMMENT ON COLUMN "deriva-ml"."Execution"."Status" IS 'Current Execution_Status.';
COMMENT ON COLUMN "deriva-ml"."Execution"."Status_Detail" IS 'Message about the current status.';

SELECT pg_temp.create_association('Execution_Execution', 'Execution', 'Execution', 'Nested_Execution', 'Execution', 'RID',
    'Nesting of executions: a parent (e.g. a sweep) and its child runs.', 'The parent execution.', 'A child execution.');
ALTER TABLE "deriva-ml"."Execution_Execution" ADD COLUMN "Sequence" int4;
COMMENT ON COLUMN "deriva-ml"."Execution_Execution"."Sequence" IS 'Order of the child among its siblings; null when they ran in parallel.';

-- Datasets and their versions.
CREATE TABLE "deriva-ml"."Dataset" (
    LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS,
    "Description" public.markdown,
    "Deleted"     boolean,
    "Version"     text
);
SELECT _ermrest.register_table('deriva-ml', 'Dataset');
COMMENT ON TABLE "deriva-ml"."Dataset" IS 'A named, versioned collection of records used by executions.';
COMMENT ON COLUMN "deriva-ml"."Dataset"."Description" IS 'What the dataset holds.';
COMMENT ON COLUMN "deriva-ml"."Dataset"."Deleted" IS 'True when the dataset has been withdrawn.';
COMMENT ON COLUMN "deriva-ml"."Dataset"."Version" IS 'The current Dataset_Version.';

CREATE TABLE "deriva-ml"."Dataset_Version" (
    LIKE _ermrest.system_columns INCLUDING DEFAULTS INCLUDING COMMENTS,
    "Version"     text NOT NULL DEFAULT '0.1.0',
    "Description" public.markdown,
    "Dataset"     text NOT NULL,
    "Execution"   text,
    "Minid"       text,
    "Snapshot"    text,
    CONSTRAINT "Dataset_Version_Dataset_Version_key" UNIQUE ("Dataset", "Version"),
    CONSTRAINT "Dataset_Version_Dataset_fkey" FOREIGN KEY ("Dataset") REFERENCES "deriva-ml"."Dataset" ("RID"),
    CONSTRAINT "Dataset_Version_Execution_fkey" FOREIGN KEY ("Execution") REFERENCES "deriva-ml"."Execution" ("RID")
);
SELECT _ermrest.register_table('deriva-ml', 'Dataset_Version');
COMMENT ON TABLE "deriva-ml"."Dataset_Version" IS 'A semantic version of a dataset, pinned to a catalog snapshot when released.';
COMMENT ON COLUMN "deriva-ml"."Dataset_Version"."Version" IS 'Semantic version, MAJOR.MINOR.PATCH.';
COMMENT ON COLUMN "deriva-ml"."Dataset_Version"."Description" IS 'What changed in this version.';
COMMENT ON COLUMN "deriva-ml"."Dataset_Version"."Dataset" IS 'The dataset versioned.';
COMMENT ON COLUMN "deriva-ml"."Dataset_Version"."Execution" IS 'The execution that made this version, if any.';
COMMENT ON COLUMN "deriva-ml"."Dataset_Version"."Minid" IS 'Persistent identifier of the version''s bag.';
COMMENT ON COLUMN "deriva-ml"."Dataset_Version"."Snapshot" IS 'Catalog snapshot time the version reads its members at.';

ALTER TABLE "deriva-ml"."Dataset"
    ADD CONSTRAINT "Dataset_Version_fkey" FOREIGN KEY ("Version") REFERENCES "deriva-ml"."Dataset_Version" ("RID");

SELECT pg_temp.create_association('Dataset_Dataset_Type', 'Dataset', 'Dataset', 'Dataset_Type', 'Dataset_Type', 'Name',
    'Types of each dataset.', 'The dataset.', 'A Dataset_Type term.');
SELECT pg_temp.create_association('Dataset_Dataset', 'Dataset', 'Dataset', 'Nested_Dataset', 'Dataset', 'RID',
    'Nesting of datasets: a parent and the datasets it contains.', 'The parent dataset.', 'A nested dataset.');
SELECT pg_temp.create_association('Dataset_Execution', 'Dataset', 'Dataset', 'Execution', 'Execution', 'RID',
    'Datasets used or produced by executions.', 'The dataset.', 'The execution.');

-- The built-in asset tables.
SELECT pg_temp.create_asset_table('Execution_Asset', 'Files produced by executions.');
SELECT pg_temp.create_asset_table('Execution_Metadata', 'Files describing executions: configurations, environments, logs.');

DROP FUNCTION pg_temp.create_asset_table(text, text);
DROP FUNCTION pg_temp.create_association(text, text, text, text, text, text, text, text, text);
DROP FUNCTION pg_temp.create_vocabulary(text, text);

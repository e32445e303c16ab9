package dev.cairn;

import dev.cairn.asset.boundary.LineageSpec;
import dev.cairn.catalog.boundary.CatalogApiSpec;
import dev.cairn.catalog.boundary.CatalogModelSpec;
import dev.cairn.catalog.boundary.DerivaMlRequestsSpec;
import dev.cairn.catalog.boundary.DerivaPyRequestsSpec;
import dev.cairn.catalog.boundary.ErmrestCatalogSpec;
import dev.cairn.catalog.boundary.ErmrestDataSpec;
import dev.cairn.catalog.boundary.ErmrestModelSpec;
import dev.cairn.dataset.boundary.DatasetsSpec;
import dev.cairn.execution.boundary.DerivaMlSpec;
import dev.cairn.operations.MetricsSpec;
import dev.cairn.operations.OpenApiSpec;
import dev.cairn.platform.HealthSpec;
import dev.cairn.platform.HostileInputSpec;
import dev.cairn.platform.ProblemSpec;
import dev.cairn.registry.boundary.RegistrySpec;
import dev.cairn.registry.boundary.SeedArgumentsSpec;
import dev.cairn.registry.boundary.TypedAssetsSpec;
import dev.cairn.registry.spi.AssetValidator;
import dev.cairn.registry.spi.RejectMarkedValidator;
import dev.cairn.security.boundary.AccessControlSpec;
import dev.cairn.security.boundary.AuthorizationMatrixSpec;
import dev.cairn.store.boundary.HatracSpec;
import dev.cairn.store.boundary.UploadJobSpec;
import dev.cairn.web.BrowserSpec;
import dev.cairn.web.HomePageSpec;
import dev.cairn.web.WebPagesSpec;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every HTTP-level test of Cairn, run against one deployment of the real WAR on Payara Micro with
 * its embedded PostgreSQL: starting Payara takes most of a test run, so it happens once. Each
 * feature's tests live beside its code as a {@link CairnSpec} and join here as a nested class.
 *
 * <p>JUnit runs this class's own test before the nested classes. Arquillian 1.10 injects the
 * deployment's address only into this class's instance, so that test hands it to the specs.
 */
@ExtendWith(ArquillianExtension.class)
class CairnIT {

    @Deployment(testable = false)
    static WebArchive cairn() {
        // with an operator's asset validator, as one deployed beside the WAR would be found
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("cairn.war")))
                .addClass(RejectMarkedValidator.class)
                .addAsServiceProvider(AssetValidator.class, RejectMarkedValidator.class);
    }

    @ArquillianResource
    URL deployment;

    @Test
    void deploymentServes() throws Exception {
        // The address Arquillian reports is not always a loopback one: use its port on localhost.
        Http http = new Http("http://localhost:" + deployment.getPort());
        Ready.await(http, Duration.ofMinutes(2));
        // the first start made the administrator and wrote its token into the data folder
        Path data = Path.of(System.getProperty("it.data.dir"), "arquillian");
        CairnSpec.useServer(
                http.as(Files.readString(data.resolve("admin-token")).trim()), data);
    }

    @Nested
    class WebPages extends WebPagesSpec {}

    @Nested
    class Browser extends BrowserSpec {}

    @Nested
    class OpenApi extends OpenApiSpec {}

    @Nested
    class Metrics extends MetricsSpec {}

    @Nested
    class Health extends HealthSpec {}

    @Nested
    class Registry extends RegistrySpec {}

    @Nested
    class TypedAssets extends TypedAssetsSpec {}

    @Nested
    class SeedArguments extends SeedArgumentsSpec {}

    @Nested
    class Datasets extends DatasetsSpec {}

    @Nested
    class HostileInput extends HostileInputSpec {}

    @Nested
    class DerivaPyRequests extends DerivaPyRequestsSpec {}

    @Nested
    class DerivaMlRequests extends DerivaMlRequestsSpec {}

    @Nested
    class Problems extends ProblemSpec {}

    @Nested
    class CatalogApi extends CatalogApiSpec {}

    @Nested
    class ErmrestCatalogs extends ErmrestCatalogSpec {}

    @Nested
    class CatalogModel extends CatalogModelSpec {}

    @Nested
    class ErmrestData extends ErmrestDataSpec {}

    @Nested
    class ErmrestModel extends ErmrestModelSpec {}

    @Nested
    class HomePage extends HomePageSpec {}

    @Nested
    class Hatrac extends HatracSpec {}

    @Nested
    class UploadJobs extends UploadJobSpec {}

    @Nested
    class DerivaMl extends DerivaMlSpec {}

    @Nested
    class Lineage extends LineageSpec {}

    @Nested
    class AccessControl extends AccessControlSpec {}

    @Nested
    class AuthorizationMatrix extends AuthorizationMatrixSpec {}
}

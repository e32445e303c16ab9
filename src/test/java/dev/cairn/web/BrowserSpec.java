package dev.cairn.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnSpec;
import dev.cairn.Http.Reply;
import dev.cairn.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web catalog in a real browser: Debian's headless Chromium driven by Selenium through
 * Debian's chromedriver. A person logs in and sees a private catalog appear, browses to a record
 * through facets, downloads an asset and gets its bytes (MD5 checked), stages a file with the
 * upload form and commits it, and follows a node of the lineage picture. Screenshots of each
 * page go to {@code target/screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
public abstract class BrowserSpec extends CairnSpec {

    static final Path CHROMIUM = Path.of(System.getProperty("cairn.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("cairn.chromedriver", "/usr/bin/chromedriver"));
    static final Path SHOTS = Path.of("target", "screenshots");
    static final String PASSWORD = "a long browser passphrase";

    private WebDriver browser;
    private Path downloads;
    private String cid;
    private String execution;
    private String asset;
    private String user;

    @BeforeAll
    void start() throws IOException {
        assertTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests need Debian's chromium and chromium-driver (bin/test installs them)");
        Files.createDirectories(SHOTS);
        downloads = Files.createTempDirectory("cairn-downloads");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,900",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory("cairn-chromium"));
        options.setExperimentalOption(
                "prefs",
                Map.of(
                        "download.default_directory",
                        downloads.toString(),
                        "download.prompt_for_download",
                        false,
                        "safebrowsing.enabled",
                        false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));

        // a person who administers Cairn, a catalog only they may see, and data to browse
        user = "browser" + System.nanoTime() % 100000;
        Reply made = http().postJson(
                        "/api/users",
                        "{\"username\": \"" + user + "\", \"password\": \"" + PASSWORD
                                + "\", \"display_name\": \"Browser Person\", \"groups\": [\"admin\"]}");
        assertEquals(201, made.status(), made::toString);
        cid = createCatalog("{\"name\": \"private-" + user + "\", \"description\": \"Only for logged-in people\", "
                        + "\"domainSchema\": \"demo\"}")
                .getString("id");
        assertEquals(
                201,
                http().postJson(
                                "/ermrest/catalog/" + cid + "/schema/demo/table",
                                "{\"table_name\": \"Subject\", "
                                        + "\"column_definitions\": [{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}, "
                                        + "{\"name\": \"Species\", \"type\": {\"typename\": \"text\"}}]}")
                        .status());
        assertEquals(
                200,
                http().postJson(
                                "/ermrest/catalog/" + cid + "/entity/demo:Subject",
                                "[{\"Name\": \"Ada\", \"Species\": \"mouse\"},"
                                        + "{\"Name\": \"Bo\", \"Species\": \"rat\"}, {\"Name\": \"Cy\", \"Species\": \"rat\"}, {\"Name\": \"Di\", \"Species\": \"human\"}]")
                        .status());
        String base = "/api/catalogs/" + cid;
        assertEquals(
                201,
                http().postJson(base + "/asset-tables", "{\"name\": \"Image\", \"referencedTables\": [\"Subject\"]}")
                        .status());
        String workflow = http().postJson(
                        base + "/workflows",
                        "{\"name\": \"Segmenter\", \"type\": \"Training\", "
                                + "\"url\": \"https://example.org/seg\", \"checksum\": \"b1\", \"version\": \"1\"}")
                .json()
                .getString("RID");
        execution = http().postJson(
                        base + "/executions", "{\"workflow\": \"" + workflow + "\", \"description\": \"browser run\"}")
                .json()
                .getString("RID");
        status(execution, "Running");
        status(execution, "Stopped");
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void status(String rid, String status) {
        Reply r = http().send(
                        "PUT",
                        "/api/catalogs/" + cid + "/executions/" + rid + "/status",
                        "application/json",
                        "{\"status\": \"" + status + "\"}");
        assertEquals(200, r.status(), r::toString);
    }

    private void open(String path) {
        browser.get(http().base() + path);
    }

    private WebElement wait(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.presenceOfElementLocated(by));
    }

    private void shot(String name) throws IOException {
        Files.copy(
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
                SHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private void login() throws IOException {
        if (!browser.findElements(By.id("who")).isEmpty()) {
            return;
        }
        open("/");
        assertFalse(
                browser.getPageSource().contains("private-" + user), "anonymous: the private catalog is not listed");
        browser.findElement(By.id("login")).click();
        wait(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        shot("login");
        browser.findElement(By.id("login-submit")).click();
        wait(By.id("who"));
    }

    @Test
    void a_loginShowsThePrivateCatalog() throws IOException {
        login();
        assertTrue(browser.findElement(By.id("who")).getText().contains("Browser Person"));
        WebElement catalog = browser.findElement(By.cssSelector("section.catalog[data-id='" + cid + "'] h2 a"));
        assertEquals("private-" + user, catalog.getText());
        shot("home");
        catalog.click();
        wait(By.cssSelector("table.tables"));
        shot("catalog");
    }

    @Test
    void b_facetsLeadToARecord() throws IOException {
        login();
        open("/web/" + cid + "/table/demo:Subject");
        assertEquals("4", wait(By.id("total")).getText());
        WebElement facet = browser.findElement(By.cssSelector("section.facet[data-column='Species']"));
        facet.findElement(By.linkText("rat")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.textToBe(By.id("total"), "2"));
        // OR within the facet: add human
        browser.findElement(By.cssSelector("section.facet[data-column='Species']"))
                .findElement(By.linkText("human"))
                .click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.textToBe(By.id("total"), "3"));
        // free text narrows it further (AND)
        WebElement q = browser.findElement(By.id("q"));
        q.sendKeys("Bo");
        q.submit();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.textToBe(By.id("total"), "1"));
        shot("table");
        browser.findElement(By.cssSelector("#rows tbody td a")).click();
        assertEquals("rat", wait(By.cssSelector("dd[data-column='Species']")).getText());
        assertEquals(
                "Bo",
                browser.findElement(By.cssSelector("dd[data-column='Name']")).getText());
        shot("record");
    }

    @Test
    void c_stageAndCommitAnUploadThenDownloadIt() throws Exception {
        login();
        open("/web/" + cid + "/execution/" + execution);
        Path file = Files.createTempFile("scan", ".png");
        Files.write(file, TestFiles.png());
        wait(By.id("stage-file")).sendKeys(file.toString());
        browser.findElement(By.id("stage-description")).sendKeys("from the browser");
        shot("execution-stage");
        browser.findElement(By.id("stage")).click();
        new WebDriverWait(browser, Duration.ofSeconds(60))
                // the script re-renders the list while it is read: a node gone from the document is read again
                .ignoring(WebDriverException.class)
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.id("staged"), file.getFileName().toString()));
        wait(By.id("commit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(60))
                // the script re-renders the list while it is read: a node gone from the document is read again
                .ignoring(WebDriverException.class)
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.id("outputs"), file.getFileName().toString()));
        assertEquals("Uploaded", browser.findElement(By.id("status")).getText());
        shot("execution");

        // the committed asset's page: preview, checksums, download
        browser.findElement(By.cssSelector("#outputs a")).click();
        WebElement download = wait(By.id("download"));
        asset = browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
        assertTrue(browser.findElement(By.id("preview-image")).isDisplayed());
        String md5 = browser.findElement(By.id("md5")).getText();
        shot("asset");
        download.click();
        Path saved = downloads.resolve(file.getFileName().toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(saved) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(saved), "downloaded into " + downloads);
        assertEquals(
                md5, HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(saved))));
        assertEquals(
                md5, HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file))));
    }

    @Test
    void d_lineagePictureLinksToItsNodes() throws IOException {
        login();
        Assertions.assertNotNull(asset, "the upload test (c_) runs first and makes the asset");
        open("/web/" + cid + "/lineage/" + asset + "?direction=up&depth=2");
        WebElement node = wait(By.cssSelector("#lineage svg a.node[data-rid='" + execution + "']"));
        assertEquals(
                2, browser.findElements(By.cssSelector("#lineage svg a.node")).size());
        shot("lineage");
        node.click();
        wait(By.id("status"));
        assertTrue(browser.getTitle().contains("Execution " + execution), browser.getTitle());
    }

    @Test
    void e_logoutHidesItAgainAndErrorsArePages() throws IOException {
        login();
        open("/web/" + cid + "/table/demo:Subject?f.Nope=1");
        assertTrue(wait(By.id("problem-detail")).getText().contains("Nope"));
        shot("error");
        browser.findElement(By.id("logout")).click();
        wait(By.id("login"));
        assertFalse(browser.getPageSource().contains("private-" + user));
    }

    @Test
    void f_theApiPageShowsEveryApiFromTheFooterLink() throws IOException {
        open("/");
        browser.findElement(By.cssSelector("footer a[href='/api-docs']")).click();
        // Swagger UI parses the whole description in the page: slow on a loaded machine
        new WebDriverWait(browser, Duration.ofSeconds(90))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("operations-tag-Hatrac")));
        WebElement hatrac = wait(By.id("operations-tag-Hatrac"));
        assertTrue(hatrac.getText().contains("Hatrac"), hatrac.getText());
        assertTrue(
                browser.findElements(By.cssSelector(".swagger-ui .opblock-tag")).size() >= 9, "one section per API");
        assertTrue(browser.findElement(By.cssSelector(".swagger-ui .info .title"))
                .getText()
                .contains("Cairn"));
        shot("api-docs");
    }

    @Test
    void g_rowsAreCreatedEditedAndDeletedInFormsAndAConflictShowsBothValues() throws IOException {
        login();
        open("/web/" + cid + "/table/demo:Subject");
        wait(By.id("create")).click();
        wait(By.cssSelector(".field[data-column='Name'] input")).sendKeys("Eve");
        browser.findElement(By.cssSelector(".field[data-column='Species'] input"))
                .sendKeys("cat");
        shot("entry-create");
        browser.findElement(By.id("save")).click();
        assertEquals("cat", wait(By.cssSelector("dd[data-column='Species']")).getText());
        String rid = browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);

        // an edit while someone else changes the row: nothing is overwritten, both values show
        browser.findElement(By.id("edit")).click();
        WebElement species = wait(By.cssSelector(".field[data-column='Species'] input"));
        species.clear();
        species.sendKeys("lynx");
        Reply meanwhile = http().send(
                        "PUT",
                        "/ermrest/catalog/" + cid + "/attributegroup/demo:Subject/RID;Species",
                        "application/json",
                        "[{\"RID\": \"" + rid + "\", \"Species\": \"tiger\"}]");
        assertEquals(200, meanwhile.status(), meanwhile::toString);
        browser.findElement(By.id("save")).click();
        WebElement theirs = wait(By.cssSelector(".field[data-column='Species'] .theirs"));
        assertTrue(theirs.getText().contains("tiger"), theirs.getText());
        assertEquals(
                "lynx",
                browser.findElement(By.cssSelector(".field[data-column='Species'] input"))
                        .getAttribute("value"),
                "what the person typed is kept");
        shot("entry-conflict");
        browser.findElement(By.id("save")).click(); // saving again replaces it, on purpose
        assertEquals("lynx", wait(By.cssSelector("dd[data-column='Species']")).getText());

        // delete after confirming
        browser.findElement(By.id("delete")).click();
        assertEquals("Eve", wait(By.id("delete-name")).getText());
        shot("delete");
        browser.findElement(By.id("confirm-delete")).click();
        assertEquals("4", wait(By.id("total")).getText());
    }

    @Test
    void h_everyPageFitsAPhone() throws IOException {
        login();
        String subject = http().get("/ermrest/catalog/" + cid + "/entity/demo:Subject/Name=Ada")
                .jsonArray()
                .getJsonObject(0)
                .getString("RID");
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("home", "/");
        pages.put("catalog", "/web/" + cid);
        pages.put("table", "/web/" + cid + "/table/demo:Subject");
        pages.put("record", "/web/" + cid + "/record/demo:Subject/" + subject);
        pages.put("entry-edit", "/web/" + cid + "/edit/demo:Subject?rid=" + subject);
        pages.put("execution", "/web/" + cid + "/execution/" + execution);
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            for (Map.Entry<String, String> p : pages.entrySet()) {
                open(p.getValue());
                wait(By.id("main"));
                long width = ((Number) ((JavascriptExecutor) browser)
                                .executeScript("return document.documentElement.scrollWidth"))
                        .longValue();
                shot(p.getKey() + "-390");
                assertTrue(width <= 390, p.getKey() + " is " + width + " pixels wide on a 390-pixel phone");
            }
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    @Test
    void i_aForeignKeyToALargeTableIsChosenByNameWithSuggestions() throws IOException {
        login();
        String schema = "/ermrest/catalog/" + cid + "/schema/demo/table";
        assertEquals(
                201,
                http().postJson(
                                schema,
                                "{\"table_name\": \"Item\", \"column_definitions\": [{\"name\": \"Name\", \"type\": {\"typename\": \"text\"}}]}")
                        .status());
        StringBuilder items = new StringBuilder("[");
        for (int i = 0; i < 250; i++) {
            items.append(i == 0 ? "" : ",").append(String.format("{\"Name\": \"Item-%04d\"}", i));
        }
        assertEquals(
                200,
                http().postJson(
                                "/ermrest/catalog/" + cid + "/entity/demo:Item",
                                items.append(']').toString())
                        .status());
        assertEquals(
                201,
                http().postJson(
                                schema,
                                "{\"table_name\": \"Use\", \"column_definitions\": [{\"name\": \"Item\", \"type\": {\"typename\": \"text\"}}],"
                                        + "\"foreign_keys\": [{\"foreign_key_columns\": [{\"schema_name\": \"demo\", \"table_name\": \"Use\", \"column_name\": \"Item\"}],"
                                        + " \"referenced_columns\": [{\"schema_name\": \"demo\", \"table_name\": \"Item\", \"column_name\": \"RID\"}]}]}")
                        .status());
        open("/web/" + cid + "/create/demo:Use");
        WebElement item = wait(By.cssSelector(".field[data-column='Item'] input[data-search]"));
        item.sendKeys("m-0123");
        String list = item.getAttribute("list");
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> d.findElements(By.cssSelector("#" + list + " option[value='Item-0123']"))
                                        .size()
                                == 1
                        && d.findElements(By.cssSelector("#" + list + " option"))
                                        .size()
                                == 1);
        shot("entry-suggestions");
        item.clear();
        item.sendKeys("Item-0123");
        browser.findElement(By.id("save")).click();
        assertEquals("Item-0123", wait(By.cssSelector("dd[data-column='Item']")).getText());
    }
}

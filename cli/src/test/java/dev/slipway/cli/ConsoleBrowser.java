package dev.slipway.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium, driven through its chromedriver, for the web console's test. */
final class ConsoleBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("slipway.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("slipway.test.chromedriver", "/usr/bin/chromedriver"));

    private final WebDriver driver;

    ConsoleBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // root in CI has no user namespace for the sandbox; /dev/shm may be small
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .withLogFile(new File("target/chromedriver.log")).build();
        driver = new ChromeDriver(service, options);
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    void open(String url) {
        driver.get(url);
    }

    void type(String id, String text) {
        driver.findElement(By.id(id)).sendKeys(text);
    }

    void click(String css) {
        driver.findElement(By.cssSelector(css)).click();
    }

    /** The table row whose cells include {@code cell}, clicked. */
    void clickRowWith(String tableId, String cell) {
        for (int attempt = 1; ; attempt++) {
            try {
                driver.findElement(By.xpath("//table[@id='" + tableId + "']/tbody/tr[td='" + cell + "']")).click();
                return;
            } catch (StaleElementReferenceException e) {
                if (attempt == 3) {
                    throw e; // the table re-renders every few seconds, not continuously
                }
            }
        }
    }

    /** The text of the first element matching {@code css}, hidden or not; "" when there is none. */
    String text(String css) {
        // read in the page, in one go: the console re-renders its tables while we look
        Object text = script().executeScript("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", css);
        return String.valueOf(text);
    }

    /** Each row of the table's body as its cells' text, space-separated. */
    List<String> rows(String tableId) {
        Object rows = script().executeScript("return Array.from(document.querySelectorAll('#' + arguments[0] + ' tbody tr'))"
                + ".map(row => Array.from(row.cells).map(cell => cell.textContent).join(' '));", tableId);
        return ((List<?>) rows).stream().map(String::valueOf).toList();
    }

    private JavascriptExecutor script() {
        return (JavascriptExecutor) driver;
    }

    boolean hidden(String css) {
        return Boolean.TRUE.equals(script().executeScript("const e = document.querySelector(arguments[0]); return !e || e.hidden;", css));
    }

    /** The page as it was last, in target/console.png, to look at after a run (or a failure); then the browser quits. */
    @Override
    public void close() {
        try {
            Files.write(Path.of("target", "console.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException | RuntimeException e) {
            System.err.println("no screenshot of the console: " + e);
        } finally {
            driver.quit();
        }
    }
}

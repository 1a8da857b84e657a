package io.qudag.resilience.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the Markdown documentation honest: its links stay inside the repository and its Java
 * snippets compile against the library as it is and run against real servers, files and clients.
 *
 * <h2>Links</h2>
 * Every Markdown file of the repository (walked from the root, skipping {@code target/},
 * {@code node_modules/} and hidden directories) is scanned for inline links and images
 * ({@code [text](target)}), reference definitions ({@code [id]: target}) and autolinks
 * ({@code <https://…>}); fenced code blocks and inline code are ignored. A relative link, with its
 * {@code #fragment} and {@code ?query} removed, must resolve to an existing file or directory inside
 * the repository root: no {@code ../} that climbs out of it, no absolute path. A link with a scheme is
 * allowed only as {@code http(s)} to one of the {@link #PUBLIC_HOSTS} (well-known public sites);
 * {@code file:}, {@code localhost} and anything else fail. A link that is only a {@code #fragment}
 * is not checked.
 *
 * <h2>Snippets</h2>
 * Every {@code ```java} block of {@code README.md} and {@code docs/*.md} is compiled with
 * {@link javax.tools.JavaCompiler} against the test classpath, then run. The rule:
 * <ol>
 *   <li>A block whose first code line starts with {@code package}, {@code import}, an annotation or
 *       a type declaration ({@code public}, {@code class}, {@code final class}, {@code interface},
 *       {@code record}, {@code enum}) is a whole compilation unit and is compiled as it is.</li>
 *   <li>Any other block is a fragment. It becomes the body of a method
 *       {@code void snippet() throws Throwable} of a class of its own. The class gets the context of
 *       its Markdown file: an HTML comment {@code <!-- java-snippet-context ... -->} (invisible when
 *       rendered). In it, lines starting with {@code import} are the class's imports; every other line
 *       is a member of the class (fields such as {@code MeterRegistry meterRegistry;}, small nested
 *       interfaces standing for the caller's own clients). A snippet's local variables may shadow
 *       those fields.</li>
 * </ol>
 * Then every snippet runs, in the order of its file, against the real parts of {@link DocsFixtures}
 * (MCP Java SDK servers on 127.0.0.1, started once per run when a snippet first needs one; SDK
 * clients; a scheduler; and per snippet a temporary directory, journals, a TCP fault proxy ...):
 * <ol>
 *   <li>A fragment's class is instantiated; each context field its context leaves {@code null} is set
 *       from a fixture by name, then by type (a field whose type is an interface the context declares,
 *       a stand-in for the caller's own client, gets a proxy that makes the call for real). A context
 *       therefore names servers and files by fields ({@code serverUrl}, {@code primaryUrl},
 *       {@code dataDir}, {@code configDir}), never by literal addresses or paths. {@code snippet()}
 *       then runs within {@link #SNIPPET_TIME_LIMIT}; an exception or a timeout fails the test, naming
 *       the Markdown file and line.</li>
 *   <li>An HTML comment {@code <!-- java-snippet-check ... -->} right after a block holds statements
 *       run after it, in the same method (they see its local variables; {@code assertThat} of AssertJ
 *       and a {@code fixtures} field are there): the result the docs state, and the closing of what the
 *       snippet opened.</li>
 *   <li>{@code <!-- java-snippet-file NAME -->} before any fenced block of a file writes that block to
 *       {@code NAME} in the directory its snippets get as {@code configDir} / {@code dataDir}, so a
 *       snippet loads the configuration file the page shows.</li>
 *   <li>A whole compilation unit runs its {@code public static void main(String[])}.</li>
 *   <li>A snippet that cannot run says why in {@code <!-- java-snippet-run: no, REASON -->} right
 *       before its block; the test counts and prints those.</li>
 * </ol>
 */
class DocsTest {

    /** Hosts an {@code http(s)} link may point to: public sites every reader can open. */
    static final Set<String> PUBLIC_HOSTS = Set.of(
            "modelcontextprotocol.io", "spec.modelcontextprotocol.io", "github.com", "resilience4j.readme.io",
            "micrometer.io", "docs.micrometer.io", "www.slf4j.org", "maven.apache.org", "ratis.apache.org",
            "www.envoyproxy.io", "openjdk.org", "docs.oracle.com", "www.apache.org", "central.sonatype.com",
            "search.maven.org", "nodejs.org", "www.npmjs.com", "jqwik.net");

    private static final String CONTEXT_OPEN = "<!-- java-snippet-context";
    private static final String CHECK_OPEN = "<!-- java-snippet-check";
    private static final Pattern RUN_MARKER = Pattern.compile("^<!--\\s*java-snippet-run:\\s*no\\s*,?(.*?)-->$");
    private static final Pattern FILE_MARKER = Pattern.compile("^<!--\\s*java-snippet-file\\s+(\\S+)\\s*-->$");
    /** How long one snippet (with its check) may run. */
    private static final Duration SNIPPET_TIME_LIMIT = Duration.ofSeconds(60);

    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```+|~~~+)\\s*([\\w+-]*).*$");
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[(?:[^\\]\\\\]|\\\\.)*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+.*)?$");
    private static final Pattern AUTOLINK = Pattern.compile("<((?:https?|ftp|file|mailto):[^>\\s]+)>");
    private static final Pattern INLINE_CODE = Pattern.compile("`+[^`]*`+");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern UNIT_START = Pattern.compile(
            "^(package|import|@|public\\s|final\\s+class|abstract\\s+class|class\\s|interface\\s|record\\s|enum\\s).*");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "public\\s+(?:final\\s+|abstract\\s+)?(?:class|interface|record|enum)\\s+(\\w+)");

    private static final Path ROOT = findRoot();

    // ------------------------------------------------------------------ links

    @Test
    void everyLinkInEveryMarkdownFileStaysInsideTheRepository() throws IOException {
        List<Path> files = markdownFiles(ROOT);
        assertThat(files).as("Markdown files found under %s", ROOT)
                .contains(ROOT.resolve("README.md"), ROOT.resolve("docs/architecture.md"),
                        ROOT.resolve("docs/configuration.md"));
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            problems.addAll(linkProblems(ROOT, file, Files.readString(file, StandardCharsets.UTF_8)));
        }
        assertThat(problems).as("broken or escaping links").isEmpty();
    }

    @Test
    void theLinkCheckFlagsEscapingMissingAndPrivateLinks() {
        Path file = ROOT.resolve("docs/example.md");
        String text = String.join("\n",
                "[ok](architecture.md#call-path) [ok too](../README.md) [dir](../docs/) [anchor](#top)",
                "[up and out](../../elsewhere/map.md) [missing](no-such-page.md) [abs](/etc/passwd)",
                "[web](https://modelcontextprotocol.io) [private](http://localhost:8080/mcp) [f](file:///tmp/x)",
                "[ref]: ../../outside.md",
                "```",
                "[inside a fence](../../ignored.md)",
                "```",
                "`[inline code](../../ignored.md)` <https://github.com/modelcontextprotocol/java-sdk>");
        List<String> problems = linkProblems(ROOT, file, text);
        assertThat(problems).hasSize(6)
                .anySatisfy(p -> assertThat(p).contains("../../elsewhere/map.md").contains("outside"))
                .anySatisfy(p -> assertThat(p).contains("no-such-page.md").contains("does not exist"))
                .anySatisfy(p -> assertThat(p).contains("/etc/passwd"))
                .anySatisfy(p -> assertThat(p).contains("localhost"))
                .anySatisfy(p -> assertThat(p).contains("file:///tmp/x"))
                .anySatisfy(p -> assertThat(p).contains("../../outside.md"))
                .noneSatisfy(p -> assertThat(p).contains("ignored"));
    }

    // ------------------------------------------------------------------ snippets

    @Test
    void everyJavaSnippetOfTheReadmeAndTheDocsCompilesAndRuns(@TempDir Path work) throws Exception {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Snippet> snippets = new ArrayList<>();
        for (Path f : files) {
            snippets.addAll(snippets(ROOT.relativize(f).toString(), Files.readString(f, StandardCharsets.UTF_8)));
        }
        assertThat(snippets).as("java snippets in README.md and docs/*.md").hasSizeGreaterThanOrEqualTo(8);
        assertThat(snippets).as("README.md snippets").filteredOn(s -> s.file().equals("README.md"))
                .hasSizeGreaterThanOrEqualTo(4);

        List<String> classNames = new ArrayList<>();
        List<String> errors = compile(work, snippets, classNames);
        assertThat(errors).as("compiler errors in documentation snippets").isEmpty();

        RunReport report = run(work, snippets, classNames);
        System.out.println(report.summary());
        assertThat(report.failures()).as("documentation snippets that failed to run").isEmpty();
        assertThat(report.ran()).as("snippets run").hasSize(snippets.size() - report.notRun().size());
        assertThat(report.notRun()).as("snippets not run (each says why)").allSatisfy(r -> assertThat(r).contains(": "));
    }

    @Test
    void theSnippetRunnerRunsFragmentsWithTheirChecksAndNamesAFailedCheck(@TempDir Path work) throws Exception {
        String markdown = String.join("\n",
                "<!-- java-snippet-context",
                "import java.nio.file.Files;",
                "import java.nio.file.Path;",
                "Path configDir;",
                "-->",
                "<!-- java-snippet-file greeting.txt -->",
                "```text",
                "hello",
                "```",
                "",
                "```java",
                "String greeting = Files.readString(configDir.resolve(\"greeting.txt\")).trim();",
                "```",
                "<!-- java-snippet-check",
                "assertThat(greeting).isEqualTo(\"hello\");",
                "-->",
                "",
                "```java",
                "int answer = 41;",
                "```",
                "<!-- java-snippet-check",
                "assertThat(answer).as(\"the answer\").isEqualTo(42);",
                "-->",
                "",
                "<!-- java-snippet-run: no, it waits for a person -->",
                "```java",
                "System.in.read();",
                "```",
                "",
                "```java",
                "public class DocsMainSnippet {",
                "    public static void main(String[] args) {",
                "        throw new IllegalStateException(\"main ran\");",
                "    }",
                "}",
                "```");
        List<Snippet> snippets = snippets("docs/run.md", markdown);
        assertThat(snippets).hasSize(4);
        assertThat(snippets.get(0).files()).containsEntry("greeting.txt", "hello\n");
        assertThat(snippets.get(1).checkLine()).isEqualTo(22);
        assertThat(snippets.get(2).notRun()).isEqualTo("it waits for a person");

        List<String> classNames = new ArrayList<>();
        assertThat(compile(work, snippets, classNames)).isEmpty();
        RunReport report = run(work, snippets, classNames);
        assertThat(report.ran()).containsExactly("docs/run.md line 12", "docs/run.md line 19", "docs/run.md line 31");
        assertThat(report.notRun()).containsExactly("docs/run.md line 27: it waits for a person");
        assertThat(report.failures()).hasSize(2);
        assertThat(report.failures().get(0)).contains("docs/run.md line 19").contains("the answer").contains("42");
        assertThat(report.failures().get(1)).contains("docs/run.md line 31").contains("main ran");
    }

    @Test
    void theSnippetCompilerRejectsABrokenSnippetAndNamesWhereItIs(@TempDir Path work) throws IOException {
        String markdown = String.join("\n",
                "<!-- java-snippet-context",
                "import java.time.Duration;",
                "String greeting = \"hello\";",
                "-->",
                "```java",
                "Duration d = Duration.ofSeconds(1);",
                "int n = greeting.length() + (int) d.toSeconds();",
                "```",
                "",
                "```java",
                "Duration d = Duration.ofSeconds(1);",
                "String s = d.noSuchMethod();",
                "```");
        List<Snippet> snippets = snippets("docs/broken.md", markdown);
        assertThat(snippets).hasSize(2);
        assertThat(snippets.get(0).line()).isEqualTo(6);

        List<String> errors = compile(work, snippets);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).contains("docs/broken.md").contains("line 12").contains("noSuchMethod");
    }

    // ------------------------------------------------------------------ running

    /** What {@link #run} did: snippets run, failures (file, line, cause), and snippets not run with their reasons. */
    record RunReport(List<String> ran, List<String> failures, List<String> notRun, List<String> times, Duration took) {

        String summary() {
            StringBuilder b = new StringBuilder("DocsTest: ran " + ran.size() + " documentation snippets in "
                    + took.toMillis() + " ms; " + failures.size() + " failed; " + notRun.size() + " not run");
            times.forEach(t -> b.append("\n  ran ").append(t));
            notRun.forEach(r -> b.append("\n  not run: ").append(r));
            failures.forEach(f -> b.append("\n  FAILED: ").append(f));
            return b.toString();
        }
    }

    /**
     * Runs the compiled snippets in order against {@link DocsFixtures}: a fragment's class is
     * instantiated, its context fields still {@code null} are set from the fixtures, and
     * {@code snippet()} (the fragment and its check) runs within {@link #SNIPPET_TIME_LIMIT}. A whole
     * compilation unit runs its {@code public static void main(String[])}.
     */
    static RunReport run(Path work, List<Snippet> snippets, List<String> classNames) throws Exception {
        long t0 = System.nanoTime();
        List<String> ran = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> notRun = new ArrayList<>();
        List<String> times = new ArrayList<>();
        ExecutorService runner = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "docs-snippet");
            t.setDaemon(true);
            return t;
        });
        Path fixtureDir = Files.createDirectories(work.resolve("fixtures"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {work.resolve("classes").toUri().toURL()},
                DocsTest.class.getClassLoader());
                DocsFixtures fixtures = DocsFixtures.start(fixtureDir)) {
            for (int n = 0; n < snippets.size(); n++) {
                Snippet s = snippets.get(n);
                String where = s.file() + " line " + s.line();
                if (s.notRun() != null) {
                    notRun.add(where + ": " + s.notRun());
                    continue;
                }
                long started = System.nanoTime();
                long[] ready = {started};
                try {
                    fixtures.beginSnippet(s.files());
                    Class<?> c = loader.loadClass(classNames.get(n));
                    Callable<Void> body;
                    java.lang.reflect.Method main = mainOf(c);
                    if (main != null) {
                        body = () -> {
                            main.invoke(null, (Object) new String[0]);
                            return null;
                        };
                    } else {
                        java.lang.reflect.Method snippet;
                        try {
                            snippet = c.getDeclaredMethod("snippet");
                        } catch (NoSuchMethodException e) {
                            failures.add(where + ": a compilation unit without a main method; give it one, make it"
                                    + " a fragment, or mark it <!-- java-snippet-run: no, <reason> -->");
                            continue;
                        }
                        java.lang.reflect.Constructor<?> ctor = c.getDeclaredConstructor();
                        ctor.setAccessible(true);
                        Object instance = ctor.newInstance();
                        fixtures.current(instance);
                        List<String> missing = fixtures.fill(instance);
                        if (!missing.isEmpty()) {
                            failures.add(where + ": no fixture for the context field(s) " + missing);
                            continue;
                        }
                        snippet.setAccessible(true);
                        ready[0] = System.nanoTime();
                        body = () -> {
                            snippet.invoke(instance);
                            return null;
                        };
                    }
                    Future<Void> done = runner.submit(body);
                    try {
                        done.get(SNIPPET_TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (TimeoutException e) {
                        done.cancel(true);
                        failures.add(where + ": did not finish within " + SNIPPET_TIME_LIMIT.toSeconds() + " s");
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause() instanceof java.lang.reflect.InvocationTargetException ite
                                ? ite.getCause() : e.getCause();
                        failures.add(where + ": " + describe(cause));
                    }
                } catch (Exception e) {
                    failures.add(where + ": " + describe(e));
                } finally {
                    fixtures.endSnippet();
                    ran.add(where);
                    long end = System.nanoTime();
                    times.add(where + ": " + (end - ready[0]) / 1_000_000 + " ms (its fixtures: "
                            + (ready[0] - started) / 1_000_000 + " ms)");
                }
            }
        } finally {
            runner.shutdownNow();
        }
        return new RunReport(ran, failures, notRun, times, Duration.ofNanos(System.nanoTime() - t0));
    }

    private static java.lang.reflect.Method mainOf(Class<?> c) {
        try {
            java.lang.reflect.Method m = c.getMethod("main", String[].class);
            return java.lang.reflect.Modifier.isStatic(m.getModifiers()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static String describe(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        String trace = w.toString();
        return trace.lines().limit(12).collect(Collectors.joining("\n    "));
    }

    // ------------------------------------------------------------------ link checking

    static List<String> linkProblems(Path root, Path file, String markdown) {
        List<String> problems = new ArrayList<>();
        String where = root.relativize(file).toString();
        boolean inFence = false;
        String fence = null;
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher f = FENCE.matcher(line);
            if (f.matches()) {
                if (!inFence) {
                    inFence = true;
                    fence = f.group(1);
                    continue;
                }
                if (line.trim().startsWith(fence)) {
                    inFence = false;
                    continue;
                }
            }
            if (inFence) {
                continue;
            }
            String text = INLINE_CODE.matcher(line).replaceAll("");
            List<String> targets = new ArrayList<>();
            Matcher m = INLINE_LINK.matcher(text);
            while (m.find()) {
                targets.add(m.group(1));
            }
            Matcher r = REFERENCE_DEFINITION.matcher(text);
            if (r.matches()) {
                targets.add(r.group(1));
            }
            Matcher a = AUTOLINK.matcher(text);
            while (a.find()) {
                targets.add(a.group(1));
            }
            for (String target : targets) {
                String problem = check(root, file, target);
                if (problem != null) {
                    problems.add(where + ":" + (i + 1) + ": link " + target + " " + problem);
                }
            }
        }
        return problems;
    }

    private static String check(Path root, Path file, String target) {
        if (target.startsWith("#")) {
            return null;
        }
        if (SCHEME.matcher(target).find()) {
            String scheme = target.substring(0, target.indexOf(':')).toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return "uses the scheme " + scheme + ": only http(s) links to public sites are allowed";
            }
            String host;
            try {
                host = new URI(target).getHost();
            } catch (URISyntaxException e) {
                return "is not a valid URI: " + e.getMessage();
            }
            if (host == null || !PUBLIC_HOSTS.contains(host.toLowerCase(Locale.ROOT))) {
                return "points to host " + host + ", which is not a well-known public site "
                        + "(add it to DocsTest.PUBLIC_HOSTS if it is one)";
            }
            return null;
        }
        String path = target;
        int cut = indexOfAny(path, '#', '?');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        if (path.isEmpty()) {
            return null;
        }
        path = java.net.URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        if (path.startsWith("/")) {
            return "is an absolute path: links must be relative to the file";
        }
        Path resolved = file.getParent().resolve(path).normalize();
        if (!resolved.startsWith(root)) {
            return "resolves to " + resolved + ", outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "resolves to " + root.relativize(resolved) + ", which does not exist";
        }
        return null;
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) {
            return j;
        }
        return j < 0 ? i : Math.min(i, j);
    }

    static List<Path> markdownFiles(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir,
                    java.nio.file.attribute.BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                if (!dir.equals(root) && (name.equals("target") || name.equals("node_modules") || name.startsWith("."))) {
                    return java.nio.file.FileVisitResult.SKIP_SUBTREE;
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes attrs) {
                if (f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".md")) {
                    out.add(f);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        out.sort(null);
        return out;
    }

    // ------------------------------------------------------------------ snippet extraction and compiling

    /**
     * One {@code ```java} block: its file, the line of its first code line, its code and the file's
     * context; the statements of its {@code java-snippet-check} comment (or {@code null}) and that
     * comment's first line; why it is not run (or {@code null}); and the file's {@code java-snippet-file}
     * blocks (name to content).
     */
    record Snippet(String file, int line, String code, List<String> imports, List<String> members,
            String check, int checkLine, String notRun, Map<String, String> files) {

        Snippet(String file, int line, String code, List<String> imports, List<String> members) {
            this(file, line, code, imports, members, null, 0, null, Map.of());
        }
    }

    static List<Snippet> snippets(String file, String markdown) {
        List<String> imports = new ArrayList<>();
        List<String> members = new ArrayList<>();
        int at = 0;
        while ((at = markdown.indexOf(CONTEXT_OPEN, at)) >= 0) {
            int end = markdown.indexOf("-->", at);
            if (end < 0) {
                throw new IllegalArgumentException(file + ": unterminated " + CONTEXT_OPEN + " comment");
            }
            for (String l : markdown.substring(at + CONTEXT_OPEN.length(), end).split("\n")) {
                String t = l.trim();
                if (t.isEmpty()) {
                    continue;
                }
                (t.startsWith("import ") ? imports : members).add(t);
            }
            at = end;
        }
        String[] lines = markdown.split("\n", -1);
        Map<String, String> files = new LinkedHashMap<>();
        for (int pass = 0; pass < 2; pass++) {   // first the java-snippet-file blocks, then the snippets
            List<Snippet> out = new ArrayList<>();
            for (int i = 0; i < lines.length; i++) {
                Matcher f = FENCE.matcher(lines[i]);
                if (!f.matches()) {
                    continue;
                }
                String fence = f.group(1);
                boolean java = f.group(2).equalsIgnoreCase("java");
                int first = i + 1;
                StringBuilder code = new StringBuilder();
                int j = first;
                while (j < lines.length && !lines[j].trim().startsWith(fence)) {
                    code.append(lines[j]).append('\n');
                    j++;
                }
                String before = previousNonBlank(lines, i);
                Matcher fileMarker = FILE_MARKER.matcher(before);
                if (pass == 0 && fileMarker.matches()) {
                    files.put(fileMarker.group(1), code.toString());
                }
                if (pass == 1 && java) {
                    Matcher noRun = RUN_MARKER.matcher(before);
                    String notRun = null;
                    if (noRun.matches()) {
                        notRun = noRun.group(1).trim();
                        if (notRun.isEmpty()) {
                            throw new IllegalArgumentException(file + ":" + (i + 1) + ": java-snippet-run: no needs a reason");
                        }
                    }
                    String check = null;
                    int checkLine = 0;
                    int k = j + 1;
                    while (k < lines.length && lines[k].isBlank()) {
                        k++;
                    }
                    if (k < lines.length && lines[k].trim().startsWith(CHECK_OPEN)) {
                        StringBuilder c = new StringBuilder();
                        int m = k + 1;
                        while (m < lines.length && !lines[m].trim().equals("-->")) {
                            c.append(lines[m]).append('\n');
                            m++;
                        }
                        if (m == lines.length) {
                            throw new IllegalArgumentException(file + ":" + (k + 1) + ": unterminated " + CHECK_OPEN + " comment");
                        }
                        check = c.toString();
                        checkLine = k + 2;
                    }
                    out.add(new Snippet(file, first + 1, code.toString(), List.copyOf(imports), List.copyOf(members),
                            check, checkLine, notRun, Map.copyOf(files)));
                }
                i = j;
            }
            if (pass == 1) {
                return out;
            }
        }
        throw new AssertionError("unreachable");
    }

    private static String previousNonBlank(String[] lines, int i) {
        for (int k = i - 1; k >= 0; k--) {
            if (!lines[k].isBlank()) {
                return lines[k].trim();
            }
        }
        return "";
    }

    /** Compiles the snippets in one run; returns one message per error, naming the Markdown file and line. */
    static List<String> compile(Path work, List<Snippet> snippets) throws IOException {
        return compile(work, snippets, new ArrayList<>());
    }

    /**
     * Like {@link #compile(Path, List)}, and adds to {@code classNames} the name of each snippet's class
     * (a fragment's generated class, or a compilation unit's public type), in the snippets' order.
     */
    static List<String> compile(Path work, List<Snippet> snippets, List<String> classNames) throws IOException {
        Path sources = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<Path> files = new ArrayList<>();
        List<Snippet> bySource = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        for (int n = 0; n < snippets.size(); n++) {
            Snippet s = snippets.get(n);
            String firstLine = s.code().lines().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("//") && !l.startsWith("/*") && !l.startsWith("*"))
                    .findFirst().orElse("");
            String source;
            String name;
            int offset;
            if (UNIT_START.matcher(firstLine).matches()) {
                Matcher m = PUBLIC_TYPE.matcher(s.code());
                name = m.find() ? m.group(1) : "DocSnippet" + n;
                source = s.code();
                offset = 0;
            } else {
                name = "DocSnippet" + n;
                StringBuilder b = new StringBuilder();
                s.imports().forEach(i -> b.append(i).append('\n'));
                if (s.check() != null) {
                    b.append("import static org.assertj.core.api.Assertions.assertThat;\n");
                }
                b.append("@SuppressWarnings(\"all\")\nclass ").append(name).append(" {\n");
                s.members().forEach(m -> b.append("    ").append(m).append('\n'));
                b.append("    ").append(DocsFixtures.class.getName()).append(" fixtures;\n");
                b.append("    void snippet() throws Throwable {\n");
                offset = (int) b.chars().filter(c -> c == '\n').count();
                b.append(s.code());
                if (s.check() != null) {
                    b.append(s.check());
                }
                b.append("    }\n}\n");
                source = b.toString();
            }
            Path dir = Files.createDirectories(sources.resolve("s" + n));
            Path f = dir.resolve(name + ".java");
            Files.writeString(f, source, StandardCharsets.UTF_8);
            files.add(f);
            bySource.add(s);
            offsets.add(offset);
            classNames.add(name);
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("a JDK compiler (run the tests on a JDK, not a JRE)").isNotNull();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter out = new StringWriter();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> options = List.of("-proc:none", "-Xlint:none", "-nowarn", "-encoding", "UTF-8",
                "-classpath", classpath, "-d", classes.toString());
        try (StandardJavaFileManager fm = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            compiler.getTask(out, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            int index = d.getSource() == null ? -1 : indexOf(files, d.getSource().toUri());
            if (index < 0) {
                errors.add(d.getMessage(Locale.ROOT));
                continue;
            }
            Snippet s = bySource.get(index);
            long codeLine = d.getLineNumber() - 1 - offsets.get(index);
            long codeLines = s.code().lines().count();
            long mdLine = codeLine < codeLines || s.check() == null
                    ? s.line() + codeLine : s.checkLine() + codeLine - codeLines;
            errors.add(s.file() + " line " + mdLine + ": " + d.getMessage(Locale.ROOT));
        }
        return errors.stream().distinct().collect(Collectors.toList());
    }

    private static int indexOf(List<Path> files, URI uri) {
        Path p = Path.of(uri).toAbsolutePath().normalize();
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).toAbsolutePath().normalize().equals(p)) {
                return i;
            }
        }
        return -1;
    }

    /** The repository root: the nearest directory upwards that holds the BOM module and README.md. */
    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("qudag-resilience-bom")) && Files.isRegularFile(dir.resolve("README.md"))) {
                return dir.normalize();
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }
}

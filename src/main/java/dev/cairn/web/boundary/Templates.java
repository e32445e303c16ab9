package dev.cairn.web.boundary;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheFactory;
import com.github.mustachejava.MustacheNotFoundException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Renders the Mustache templates of {@code /WEB-INF/templates}; values are HTML-escaped. */
@ApplicationScoped
public class Templates {

    private static final String FOLDER = "/WEB-INF/templates/";

    @Inject
    ServletContext servletContext;

    private MustacheFactory factory;

    @PostConstruct
    void init() {
        factory = new DefaultMustacheFactory(name -> {
            InputStream template = servletContext.getResourceAsStream(FOLDER + name);
            if (template == null) {
                throw new MustacheNotFoundException(name);
            }
            return new InputStreamReader(template, StandardCharsets.UTF_8);
        });
    }

    public String render(String template, Object scope) {
        StringWriter html = new StringWriter();
        try {
            factory.compile(template).execute(html, scope).flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return html.toString();
    }
}

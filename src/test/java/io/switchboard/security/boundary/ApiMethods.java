package io.switchboard.security.boundary;

import io.switchboard.security.Right;
import jakarta.servlet.annotation.WebServlet;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Every JAX-RS resource method of Switchboard's compiled classes, found by scanning them. */
public final class ApiMethods {

  /**
   * One resource method or servlet route: its HTTP method, its path template under /api, the method
   * (null for a servlet route) and the right it declares (null when it declares none).
   */
  public record Entry(String httpMethod, String template, Method method, Right right) {
    public String key() {
      return httpMethod + " " + template;
    }
  }

  private ApiMethods() {}

  public static List<Entry> all() {
    java.nio.file.Path root;
    try {
      root =
          Paths.get(
                  ApiMethods.class
                      .getResource("/io/switchboard/SwitchboardApplication.class")
                      .toURI())
              .getParent();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("Cannot find the compiled classes", e);
    }
    List<Entry> entries = new ArrayList<>();
    java.nio.file.Path base = root.getParent().getParent();
    try (Stream<java.nio.file.Path> files = Files.walk(root)) {
      for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = base.relativize(file).toString().replace('/', '.');
        Class<?> type;
        try {
          type =
              Class.forName(
                  name.substring(0, name.length() - 6), false, ApiMethods.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
          continue;
        }
        WebServlet servlet = type.getAnnotation(WebServlet.class);
        if (servlet != null && RoutedServlet.class.isAssignableFrom(type)) {
          entries.addAll(routes(type, servlet));
          continue;
        }
        Path classPath = type.getAnnotation(Path.class);
        if (classPath == null) {
          continue;
        }
        for (Method method : type.getDeclaredMethods()) {
          String http = httpMethod(method);
          if (http == null) {
            continue;
          }
          Path methodPath = method.getAnnotation(Path.class);
          String template =
              classPath.value() + (methodPath == null ? "" : "/" + methodPath.value());
          Requires requires = method.getAnnotation(Requires.class);
          entries.add(
              new Entry(
                  http,
                  template.replaceAll("/+", "/"),
                  method,
                  requires == null ? null : requires.value()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    entries.sort(Comparator.comparing(Entry::key));
    return entries;
  }

  /** The routes of an API servlet (its routes() needs nothing injected). */
  private static List<Entry> routes(Class<?> type, WebServlet servlet) {
    List<Entry> out = new ArrayList<>();
    RoutedServlet instance;
    try {
      instance = (RoutedServlet) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    for (String pattern : servlet.urlPatterns()) {
      String base = pattern.replaceFirst("^/api/", "").replaceFirst("/\\*$", "");
      instance
          .routes()
          .forEach((route, r) -> out.add(new Entry("GET", base + route, null, r.right())));
    }
    return out;
  }

  private static String httpMethod(Method method) {
    for (Annotation annotation : method.getAnnotations()) {
      HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return http.value();
      }
    }
    return null;
  }
}

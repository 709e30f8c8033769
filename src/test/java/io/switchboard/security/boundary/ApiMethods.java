package io.switchboard.security.boundary;

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

  /** One resource method: its HTTP method, its path template under /api, and the method. */
  public record Entry(String httpMethod, String template, Method method) {
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
          entries.add(new Entry(http, template.replaceAll("/+", "/"), method));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    entries.sort(Comparator.comparing(Entry::key));
    return entries;
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

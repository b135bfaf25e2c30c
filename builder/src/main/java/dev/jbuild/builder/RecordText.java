package dev.jbuild.builder;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The text {@code Record.toString()} gives ({@code Name[a=1, b=[x, y], c=Optional[z]]}, nested
 * records, collections, maps and optionals alike), made by walking the record components through
 * reflection. A record's own {@code toString} is bootstrapped by {@code ObjectMethods} the first
 * time each record class prints, which spins method handles and costs several milliseconds a class
 * in a fresh JVM (the AOT cache does not keep these call sites): ~50 ms of a fully cached build,
 * whose cache keys include each instruction's text. The output is the same text, so the keys are the
 * same ({@code RecordTextTest} compares the two over every instruction kind).
 */
final class RecordText {
  private static final Map<Class<?>, Method[]> ACCESSORS = new ConcurrentHashMap<>();
  private static final Map<Class<?>, String[]> NAMES = new ConcurrentHashMap<>();

  private RecordText() {}

  static String of(Object value) {
    StringBuilder sb = new StringBuilder(128);
    append(sb, value);
    return sb.toString();
  }

  private static void append(StringBuilder sb, Object v) {
    switch (v) {
      case null -> sb.append("null");
      case Record r when !overridesToString(r.getClass()) -> record(sb, r);
      case Collection<?> c -> {
        sb.append('[');
        Iterator<?> it = c.iterator();
        while (it.hasNext()) {
          Object e = it.next();
          append(sb, e == c ? "(this Collection)" : e);
          if (it.hasNext()) {
            sb.append(", ");
          }
        }
        sb.append(']');
      }
      case Map<?, ?> m -> {
        sb.append('{');
        Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
        while (it.hasNext()) {
          Map.Entry<?, ?> e = it.next();
          append(sb, e.getKey());
          sb.append('=');
          append(sb, e.getValue());
          if (it.hasNext()) {
            sb.append(", ");
          }
        }
        sb.append('}');
      }
      case Optional<?> o -> {
        if (o.isPresent()) {
          sb.append("Optional[");
          append(sb, o.get());
          sb.append(']');
        } else {
          sb.append("Optional.empty");
        }
      }
      case OptionalInt o -> sb.append(o.isPresent() ? "OptionalInt[" + o.getAsInt() + "]" : "OptionalInt.empty");
      default -> sb.append(v);
    }
  }

  private static void record(StringBuilder sb, Record r) {
    Class<?> c = r.getClass();
    Method[] accessors = ACCESSORS.computeIfAbsent(c, RecordText::accessors);
    String[] names = NAMES.get(c);
    sb.append(c.getSimpleName()).append('[');
    for (int i = 0; i < accessors.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names[i]).append('=');
      try {
        append(sb, accessors[i].invoke(r));
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("[internal error] reading " + c.getSimpleName() + "." + names[i], e);
      }
    }
    sb.append(']');
  }

  private static Method[] accessors(Class<?> c) {
    RecordComponent[] rc = c.getRecordComponents();
    Method[] m = new Method[rc.length];
    String[] n = new String[rc.length];
    for (int i = 0; i < rc.length; i++) {
      m[i] = rc[i].getAccessor();
      m[i].setAccessible(true);
      n[i] = rc[i].getName();
    }
    NAMES.put(c, n);
    return m;
  }

  // A toString written in the record's source must be honoured. javac generates a record's toString
  // as a public final method; a hand-written one (PortSpec, SourceRange ...) is not final. RecordTextTest
  // fails should an instruction's text ever differ from its toString.
  private static final Map<Class<?>, Boolean> OVERRIDES = new ConcurrentHashMap<>();

  private static boolean overridesToString(Class<?> c) {
    return OVERRIDES.computeIfAbsent(c, k -> {
      try {
        return !java.lang.reflect.Modifier.isFinal(k.getDeclaredMethod("toString").getModifiers());
      } catch (NoSuchMethodException e) {
        return false;
      }
    });
  }
}

package dev.jbuild.store.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test that needs these executables (on PATH, or CNI plugins in /usr/lib/cni or /opt/cni/bin). */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(Privileges.class)
public @interface RequiresTools {
  String[] value();
}

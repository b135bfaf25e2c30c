import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step (run by the cli module's package phase on JDK 24+, as a single-file program): rewrites
 * every class file of the fat jar older than Java 6 (major version below 50) as Java 8 bytecode
 * with generated stack maps. The JVM's AOT cache / CDS archive leaves such old classes out ("Old
 * class has been linked"), and picocli ships Java 5 bytecode: without this step every jbuild command
 * loads, verifies and interprets picocli from the jar again, about 100 ms of its start-up.
 *
 * <p>The code of each method is unchanged instruction for instruction; only the version and the
 * StackMapTable attribute the split verifier needs are new. A class whose frames cannot be computed
 * is kept as it was. Entry order and times are kept, so the jar stays reproducible.
 *
 * <p>Usage: {@code java UpgradeClassfiles.java JAR}
 */
public class UpgradeClassfiles {
  public static void main(String[] args) throws IOException {
    Path jar = Path.of(args[0]);
    Path tmp = jar.resolveSibling(jar.getFileName() + ".upgrading");
    int upgraded = 0;
    int kept = 0;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      ClassFile cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
          ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
              .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
      try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
          ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
        for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
          byte[] data = in.readAllBytes();
          if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/") && data.length > 8
              && (((data[6] & 0xff) << 8) | (data[7] & 0xff)) < ClassFile.JAVA_6_VERSION) {
            try {
              data = upgrade(cf, data);
              upgraded++;
            } catch (RuntimeException failed) {
              System.err.println("UpgradeClassfiles: keeping " + e.getName() + " as it is: " + failed.getMessage());
              kept++;
            }
          }
          ZipEntry copy = new ZipEntry(e.getName());
          copy.setTime(e.getTime());
          out.putNextEntry(copy);
          out.write(data);
          out.closeEntry();
        }
      }
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("UpgradeClassfiles: " + upgraded + " class files of " + jar.getFileName()
        + " rewritten as Java 8 bytecode" + (kept > 0 ? ", " + kept + " kept" : ""));
  }

  private static byte[] upgrade(ClassFile cf, byte[] bytes) {
    ClassModel old = cf.parse(bytes);
    // Built afresh (a new constant pool), so every method body goes through the code builder, which
    // computes the stack maps for the new version.
    return cf.build(old.thisClass().asSymbol(), cb -> {
      cb.withVersion(ClassFile.JAVA_8_VERSION, 0);
      old.forEach(el -> {
        if (el instanceof ClassFileVersion) {
          return;
        }
        if (el instanceof MethodModel m) {
          cb.transformMethod(m, MethodTransform.transformingCode(CodeTransform.ACCEPT_ALL));
        } else {
          cb.with(el);
        }
      });
    });
  }
}

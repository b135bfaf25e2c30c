/** jbuild's builder module (see DESIGN.md section 1). */
package dev.jbuild.builder;

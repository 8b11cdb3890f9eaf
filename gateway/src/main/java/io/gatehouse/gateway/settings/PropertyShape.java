package io.gatehouse.gateway.settings;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * What a property's type makes of the keys below it: none (a scalar), an index (a list, set or array), any key (a
 * map), or the properties of a Gatehouse type (a record or JavaBean under {@code io.gatehouse}).
 */
record PropertyShape(Kind kind, @Nullable PropertyShape elementOrNull, Class<?> type) {

    enum Kind { SCALAR, LIST, MAP, BEAN }

    PropertyShape element() {
        return Objects.requireNonNull(elementOrNull, "element");
    }

    static PropertyShape scalar() {
        return new PropertyShape(Kind.SCALAR, null, Object.class);
    }

    static boolean isGatehouseBean(Class<?> type) {
        return type.getName().startsWith("io.gatehouse.") && !type.isEnum() && !type.isInterface();
    }

    /** From a metadata type name such as {@code java.util.Map<java.lang.String,a.b.C$D>}. */
    static PropertyShape parse(String typeName, ClassLoader loader) {
        String name = typeName.replace(" ", "");
        if (name.endsWith("[]")) {
            return new PropertyShape(Kind.LIST, parse(name.substring(0, name.length() - 2), loader), Object.class);
        }
        int open = name.indexOf('<');
        String raw = open < 0 ? name : name.substring(0, open);
        List<String> arguments = open < 0 ? List.of() : splitArguments(name.substring(open + 1, name.length() - 1));
        Class<?> type = load(raw, loader);
        if (type == null) {
            return scalar();
        }
        if (Collection.class.isAssignableFrom(type)) {
            return new PropertyShape(Kind.LIST, arguments.isEmpty() ? scalar() : parse(arguments.get(0), loader), type);
        }
        if (Map.class.isAssignableFrom(type)) {
            return new PropertyShape(Kind.MAP, arguments.size() < 2 ? scalar() : parse(arguments.get(1), loader), type);
        }
        return isGatehouseBean(type) ? new PropertyShape(Kind.BEAN, null, type) : scalar();
    }

    static PropertyShape of(Type type) {
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
            Type[] arguments = parameterized.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                return new PropertyShape(Kind.LIST, of(arguments[0]), raw);
            }
            if (Map.class.isAssignableFrom(raw)) {
                return new PropertyShape(Kind.MAP, of(arguments[1]), raw);
            }
            return of(raw);
        }
        if (type instanceof Class<?> c) {
            if (c.isArray()) {
                return new PropertyShape(Kind.LIST, of(c.getComponentType()), c);
            }
            return isGatehouseBean(c) ? new PropertyShape(Kind.BEAN, null, c) : scalar();
        }
        return scalar();
    }

    private static List<String> splitArguments(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '<' ? 1 : c == '>' ? -1 : 0;
            if (c == ',' && depth == 0) {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out;
    }

    private static @Nullable Class<?> load(String name, ClassLoader loader) {
        try {
            return ClassUtils.forName(name, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}

package io.faultline.server;

/** ZooKeeper's path rules (spec §1.6). */
public final class Paths {
    private Paths() {}

    public static void validate(String path) throws KeeperError {
        if (!isValid(path)) throw new KeeperError(KeeperError.BAD_ARGUMENTS);
    }

    public static boolean isValid(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') return false;
        if (path.length() == 1) return true;
        if (path.charAt(path.length() - 1) == '/') return false;
        char last = '/';
        char[] chars = path.toCharArray();
        for (int i = 1; i < chars.length; i++) {
            char c = chars[i];
            if (c == 0) return false;
            if (c == '/' && last == '/') return false;
            if (c == '.' && last == '.') {
                if (chars[i - 2] == '/' && (i + 1 == chars.length || chars[i + 1] == '/')) return false;
            } else if (c == '.') {
                if (chars[i - 1] == '/' && (i + 1 == chars.length || chars[i + 1] == '/')) return false;
            } else if (c > '\u0000' && c <= '\u001f' || c >= '\u007f' && c <= '\u009F'
                    || c >= '\ud800' && c <= '\uf8ff' || c >= '\ufff0' && c <= '\uffff') {
                return false;
            }
            last = c;
        }
        return true;
    }
}

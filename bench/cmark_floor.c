/* The libcmark floor of the build benchmark: the least work a Markdown site generator must do.
 * In one process, for every CONTENT/<category>/<name>.md: read it, skip its YAML front matter,
 * parse and render it with libcmark, and write OUT/<category>/<name>.html. No templates, no
 * links, no index. Built by bench/build.py with: cc -O2 cmark_floor.c $(pkg-config --cflags --libs libcmark)
 *
 *     cmark-floor CONTENT OUT    → prints "N articles"
 */
#include <cmark.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static long articles = 0;

static char *read_file(const char *path, size_t *length) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc(size + 1);
    *length = fread(data, 1, size, f);
    data[*length] = 0;
    fclose(f);
    return data;
}

/* The body after a leading "---" front matter block. */
static const char *body(const char *text) {
    if (strncmp(text, "---\n", 4) != 0) return text;
    const char *end = strstr(text + 4, "\n---\n");
    return end ? end + 5 : text;
}

static int ends_with(const char *name, const char *suffix) {
    size_t n = strlen(name), s = strlen(suffix);
    return n > s && strcmp(name + n - s, suffix) == 0;
}

static void walk(const char *in, const char *out) {
    DIR *dir = opendir(in);
    if (!dir) { perror(in); exit(1); }
    if (mkdir(out, 0755) != 0 && errno != EEXIST) { perror(out); exit(1); }
    struct dirent *entry;
    char source[4096], target[4096];
    while ((entry = readdir(dir))) {
        if (entry->d_name[0] == '.') continue;
        snprintf(source, sizeof source, "%s/%s", in, entry->d_name);
        struct stat st;
        if (stat(source, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            snprintf(target, sizeof target, "%s/%s", out, entry->d_name);
            walk(source, target);
        } else if (ends_with(entry->d_name, ".md")) {
            size_t length;
            char *text = read_file(source, &length);
            if (!text) { perror(source); exit(1); }
            const char *markdown = body(text);
            char *html = cmark_markdown_to_html(markdown, strlen(markdown), CMARK_OPT_DEFAULT);
            snprintf(target, sizeof target, "%s/%.*s.html", out, (int)(strlen(entry->d_name) - 3), entry->d_name);
            FILE *f = fopen(target, "wb");
            if (!f) { perror(target); exit(1); }
            fputs(html, f);
            fclose(f);
            free(html);
            free(text);
            articles++;
        }
    }
    closedir(dir);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: cmark-floor CONTENT OUT\n");
        return 2;
    }
    walk(argv[1], argv[2]);
    printf("%ld articles\n", articles);
    return 0;
}

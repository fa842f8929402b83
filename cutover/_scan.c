/*
 * cutover._scan: the row pass of triage over a block of plain CSV text, in one loop.
 *
 * Optional. cutover works the same without it (`cutover.triage` falls back to its own
 * Python pass), and the Python pass is the reference: this module decides nothing the
 * Python pass does not decide the same way, and every row it is unsure of sends the whole
 * block back to Python.
 *
 * What it vouches for, row by row, is narrow on purpose:
 *   - the block has no quote, NUL or lone CR, every line holds exactly `width` fields and no
 *     field is longer than the csv module's limit (else: None, the block goes to Python);
 *   - the codes, the item and the status are texts the Python pass has already accepted
 *     and cached (a table built from its caches), so no validation rule lives here;
 *   - the query id is not blank, has no surrounding white space (str.strip) and no "E+"/"e+"
 *     (the Excel-number check is Python's), no 12 digits in a row and no three groups of
 *     four digits split by a space, tab, hyphen or any character beyond ASCII: the shapes
 *     a personal number may take (whether it is one, by its check digit, is
 *     cutover.personal_number's to say, in the Python pass);
 *   - the requested moment is YYYY-MM-DD, optionally followed by T or a space and HH:MM or
 *     HH:MM:SS, a real calendar day and time: a subset of what datetime.fromisoformat
 *     accepts, read to the same naive value. Anything else (time zones, fractions, other
 *     forms) is left to Python.
 *
 * It returns which rows are under the rule (an open status and a cutoff item, received
 * before the revision takes effect), which are dated far after the as-of date, the query
 * ids (UTF-8, one per line) and a 64-bit hash of each, in the row order.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#if defined(_MSC_VER)
#define FORCE_INLINE static __forceinline
#else
#define FORCE_INLINE static inline __attribute__((always_inline))
#endif

/* Eight bytes at a time where a word's first byte is its lowest (little-endian). */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR 1
#define CTZ64(x) __builtin_ctzll(x)
#else
#define SWAR 0
#endif

/* ---- the id hash ------------------------------------------------------------------------ */

static uint64_t hash_seed;

static inline uint64_t
finish(uint64_t h)
{
    /* splitmix64's finalizer: spreads every input bit to the low bits (the bucket). */
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}

/* FNV-1a over the code points, in two lanes (even and odd positions: half the multiply
 * chain), seeded per process (a forked worker keeps its parent's). */
#define HASH_START (0xcbf29ce484222325ULL ^ hash_seed)
#define HASH_STEP(h, c) (((h) ^ (uint64_t)(c)) * 0x100000001b3ULL)
#define HASH_JOIN(even, odd, n) finish((even) ^ ((odd) * 0x9e3779b97f4a7c15ULL) ^ (uint64_t)(n))

static uint64_t
hash_str(PyObject *s)
{
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    Py_ssize_t n = PyUnicode_GET_LENGTH(s), i = 0;
    uint64_t even = HASH_START, odd = HASH_START;
    for (; i + 1 < n; i += 2) {
        even = HASH_STEP(even, PyUnicode_READ(kind, data, i));
        odd = HASH_STEP(odd, PyUnicode_READ(kind, data, i + 1));
    }
    if (i < n) {
        even = HASH_STEP(even, PyUnicode_READ(kind, data, i));
    }
    return HASH_JOIN(even, odd, n);
}

static PyObject *
scan_hash_id(PyObject *module, PyObject *arg)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "hash_id() takes a str");
        return NULL;
    }
    return PyLong_FromLongLong((long long)(int64_t)hash_str(arg));
}

/* ---- tables of texts the Python pass accepted ------------------------------------------- */

typedef struct {
    Py_ssize_t start; /* in the pool */
    Py_ssize_t len;
    uint64_t hash;
    int value; /* 0: empty slot */
} Slot;

typedef struct {
    Slot *slots;
    size_t mask;
    Py_UCS4 *pool;
} Table;

/* Codes of six ASCII digits, and items of one to three digits without a leading zero,
 * are also looked up by their number: the forms nearly every log uses. */
#define CODE_SPACE 1000000
#define ITEM_SPACE 1000

typedef struct {
    Table codes, items, statuses;
    unsigned char code_bits[CODE_SPACE / 8];
    unsigned char item_values[ITEM_SPACE];
} Tables;

/* A table key's hash: short texts (codes, items, statuses), compared in full on a match,
 * so a cheap step (rotate and xor) will do; mixed at the end for the slot's low bits. */
FORCE_INLINE uint64_t
hash_chars(int kind, const void *data, Py_ssize_t a, Py_ssize_t b)
{
    uint64_t h = (uint64_t)(b - a);
    for (Py_ssize_t i = a; i < b; i++) {
        h = ((h << 7) | (h >> 57)) ^ PyUnicode_READ(kind, data, i);
    }
    return finish(h);
}

static void
table_free(Table *t)
{
    PyMem_Free(t->slots);
    PyMem_Free(t->pool);
    t->slots = NULL;
    t->pool = NULL;
}

/* Fill `t` from a dict of str -> int, the ints 1 or 2. Only exact str and int: nothing here
 * may run Python code that could change the dict while it is read. */
static int
table_build(Table *t, PyObject *dict)
{
    if (!PyDict_Check(dict)) {
        PyErr_SetString(PyExc_TypeError, "tables are dicts of str to int");
        return -1;
    }
    Py_ssize_t n = PyDict_Size(dict), chars = 0, pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(key) || !PyLong_CheckExact(value)) {
            PyErr_SetString(PyExc_TypeError, "tables are dicts of str to int");
            return -1;
        }
        long v = PyLong_AsLong(value); /* an exact int: runs no Python code */
        if (v != 1 && v != 2) {
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_ValueError, "table values are 1 or 2");
            }
            return -1;
        }
        if (PyUnicode_GET_LENGTH(key) > PY_SSIZE_T_MAX / 8 - chars) {
            PyErr_NoMemory();
            return -1;
        }
        chars += PyUnicode_GET_LENGTH(key);
    }
    size_t size = 8;
    while (size < (size_t)n * 2 + 1) {
        size <<= 1;
    }
    t->mask = size - 1;
    t->slots = PyMem_New(Slot, size);
    t->pool = PyMem_New(Py_UCS4, (size_t)chars + 1);
    if (t->slots == NULL || t->pool == NULL) {
        table_free(t);
        PyErr_NoMemory();
        return -1;
    }
    memset(t->slots, 0, size * sizeof(Slot));
    Py_ssize_t used = 0, entries = 0;
    pos = 0;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        Py_ssize_t len = PyUnicode_GET_LENGTH(key);
        if (len > chars - used || ++entries > n) { /* (cannot happen: nothing ran between) */
            table_free(t);
            PyErr_SetString(PyExc_RuntimeError, "a table changed while it was read");
            return -1;
        }
        int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        uint64_t h = hash_chars(kind, data, 0, len);
        size_t i = (size_t)h & t->mask;
        while (t->slots[i].value) {
            i = (i + 1) & t->mask;
        }
        for (Py_ssize_t j = 0; j < len; j++) {
            t->pool[used + j] = PyUnicode_READ(kind, data, j);
        }
        t->slots[i].start = used;
        t->slots[i].len = len;
        t->slots[i].hash = h;
        t->slots[i].value = (int)PyLong_AsLong(value);
        used += len;
    }
    return 0;
}

/* The value stored for text[a:b], or 0 when the table does not hold it. */
FORCE_INLINE int
table_get(const Table *t, int kind, const void *data, Py_ssize_t a, Py_ssize_t b)
{
    uint64_t h = hash_chars(kind, data, a, b);
    size_t i = (size_t)h & t->mask;
    Py_ssize_t len = b - a;
    for (;;) {
        const Slot *s = &t->slots[i];
        if (!s->value) {
            return 0;
        }
        if (s->hash == h && s->len == len) {
            const Py_UCS4 *p = t->pool + s->start;
            Py_ssize_t j = 0;
            while (j < len && p[j] == PyUnicode_READ(kind, data, a + j)) {
                j++;
            }
            if (j == len) {
                return s->value;
            }
        }
        i = (i + 1) & t->mask;
    }
}

/* The number in text[a:b] when it is `min` to `max` ASCII digits, and none of them a leading
 * zero unless `zeros`; else -1. */
FORCE_INLINE long
number_of(int kind, const void *data, Py_ssize_t a, Py_ssize_t b, Py_ssize_t min,
          Py_ssize_t max, int zeros)
{
    Py_ssize_t n = b - a;
    if (n < min || n > max || (!zeros && PyUnicode_READ(kind, data, a) == '0')) {
        return -1;
    }
    long v = 0;
    for (Py_ssize_t i = a; i < b; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < '0' || c > '9') {
            return -1;
        }
        v = v * 10 + (long)(c - '0');
    }
    return v;
}

static int
numbers_build(Tables *t, PyObject *codes, PyObject *items)
{
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(codes, &pos, &key, &value)) {
        long v = number_of(PyUnicode_KIND(key), PyUnicode_DATA(key), 0,
                           PyUnicode_GET_LENGTH(key), 6, 6, 1);
        if (v >= 0) {
            t->code_bits[v >> 3] |= (unsigned char)(1u << (v & 7));
        }
    }
    pos = 0;
    while (PyDict_Next(items, &pos, &key, &value)) {
        long v = number_of(PyUnicode_KIND(key), PyUnicode_DATA(key), 0,
                           PyUnicode_GET_LENGTH(key), 1, 3, 0);
        if (v >= 0) {
            t->item_values[v] = (unsigned char)PyLong_AsLong(value); /* 1 or 2: checked */
        }
    }
    return 0;
}

/* Whether text[a:b] is a code the Python pass accepted. */
FORCE_INLINE int
code_known(const Tables *t, int kind, const void *data, Py_ssize_t a, Py_ssize_t b)
{
    long v = number_of(kind, data, a, b, 6, 6, 1);
    if (v >= 0) {
        return (t->code_bits[v >> 3] >> (v & 7)) & 1;
    }
    return table_get(&t->codes, kind, data, a, b);
}

/* The value stored for the item text[a:b] (2: a cutoff item), 0 when not accepted. */
FORCE_INLINE int
item_known(const Tables *t, int kind, const void *data, Py_ssize_t a, Py_ssize_t b)
{
    long v = number_of(kind, data, a, b, 1, 3, 0);
    if (v >= 0) {
        return t->item_values[v];
    }
    return table_get(&t->items, kind, data, a, b);
}

static void
tables_destroy(PyObject *capsule)
{
    Tables *t = PyCapsule_GetPointer(capsule, "cutover._scan.Tables");
    if (t != NULL) {
        table_free(&t->codes);
        table_free(&t->items);
        table_free(&t->statuses);
        PyMem_Free(t);
    }
}

static PyObject *
scan_tables(PyObject *module, PyObject *args)
{
    PyObject *codes, *items, *statuses;
    if (!PyArg_ParseTuple(args, "O!O!O!:tables", &PyDict_Type, &codes, &PyDict_Type, &items,
                          &PyDict_Type, &statuses)) {
        return NULL;
    }
    Tables *t = PyMem_Calloc(1, sizeof(Tables));
    if (t == NULL) {
        return PyErr_NoMemory();
    }
    if (table_build(&t->codes, codes) < 0 || table_build(&t->items, items) < 0 ||
        table_build(&t->statuses, statuses) < 0 || numbers_build(t, codes, items) < 0) {
        table_free(&t->codes);
        table_free(&t->items);
        table_free(&t->statuses);
        PyMem_Free(t);
        return NULL;
    }
    PyObject *capsule = PyCapsule_New(t, "cutover._scan.Tables", tables_destroy);
    if (capsule == NULL) {
        table_free(&t->codes);
        table_free(&t->items);
        table_free(&t->statuses);
        PyMem_Free(t);
    }
    return capsule;
}

/* ---- a growing byte buffer ---------------------------------------------------------------- */

typedef struct {
    char *data;
    size_t len, cap;
} Buffer;

static int
buffer_reserve(Buffer *b, size_t more)
{
    if (b->len + more <= b->cap) {
        return 0;
    }
    if (more > (size_t)PY_SSIZE_T_MAX - b->len) {
        PyErr_NoMemory();
        return -1;
    }
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more) {
        if (cap > (size_t)PY_SSIZE_T_MAX / 2) {
            PyErr_NoMemory();
            return -1;
        }
        cap *= 2;
    }
    char *data = PyMem_Realloc(b->data, cap);
    if (data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->data = data;
    b->cap = cap;
    return 0;
}

/* ---- timestamps --------------------------------------------------------------------------- */

FORCE_INLINE int
digits(int kind, const void *data, Py_ssize_t a, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, a + i);
        if (c < '0' || c > '9') {
            return 0;
        }
        v = v * 10 + (int)(c - '0');
    }
    *out = v;
    return 1;
}

static int
days_in(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) {
        return 29;
    }
    return days[month - 1];
}

/* The moment in text[a:b] as a sortable number, or -1 when it is not of the forms above. */
FORCE_INLINE int64_t
moment_key(int kind, const void *data, Py_ssize_t a, Py_ssize_t b)
{
    Py_ssize_t n = b - a;
    int y, mo, d, h = 0, mi = 0, s = 0;
    if (n != 10 && n != 16 && n != 19) {
        return -1;
    }
    if (!digits(kind, data, a, 4, &y) || PyUnicode_READ(kind, data, a + 4) != '-' ||
        !digits(kind, data, a + 5, 2, &mo) || PyUnicode_READ(kind, data, a + 7) != '-' ||
        !digits(kind, data, a + 8, 2, &d)) {
        return -1;
    }
    if (n > 10) {
        Py_UCS4 sep = PyUnicode_READ(kind, data, a + 10);
        if ((sep != 'T' && sep != ' ') || !digits(kind, data, a + 11, 2, &h) ||
            PyUnicode_READ(kind, data, a + 13) != ':' || !digits(kind, data, a + 14, 2, &mi)) {
            return -1;
        }
        if (n == 19 && (PyUnicode_READ(kind, data, a + 16) != ':' ||
                        !digits(kind, data, a + 17, 2, &s))) {
            return -1;
        }
    }
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo) || h > 23 || mi > 59 ||
        s > 59) {
        return -1;
    }
    return ((((((int64_t)y * 13 + mo) * 32 + d) * 24 + h) * 60 + mi) * 60) + s;
}

/* ---- the block ---------------------------------------------------------------------------- */

enum { ID, QUERIER, PROVIDER, ITEM, REQUESTED, STATUS, COLUMNS };

#define MAX_WIDTH 256

/* A digit of any script, and what may separate groups of digits: a space, a tab, a hyphen,
 * or any character that is not ASCII (a wider set than cutover.personal_number's
 * separators, so that this test needs no copy of its list). */
#define IS_DIGIT(c) ((c) - '0' <= 9u || ((c) >= 0x80 && Py_UNICODE_ISDECIMAL(c)))
#define IS_SEPARATOR(c) ((c) == ' ' || (c) == '\t' || (c) == '-' || (c) >= 0x80)

/* 1 when the text in [a, e) has the shape of a personal number (see the top of this
 * file), else 0. */
FORCE_INLINE int
may_hold_personal_number(int kind, const void *data, Py_ssize_t a, Py_ssize_t e)
{
    Py_ssize_t run = 0;
    for (Py_ssize_t i = a; i < e; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (IS_DIGIT(c)) {
            if (++run >= 12) {
                return 1;
            }
            continue;
        }
        if (run >= 4 && IS_SEPARATOR(c) && i + 9 < e) {
            int grouped = IS_SEPARATOR(PyUnicode_READ(kind, data, i + 5));
            for (Py_ssize_t k = 1; grouped && k <= 9; k++) {
                grouped = k == 5 || IS_DIGIT(PyUnicode_READ(kind, data, i + k));
            }
            if (grouped) {
                return 1;
            }
        }
        run = 0;
    }
    return 0;
}

FORCE_INLINE int
append_utf8(Buffer *b, int kind, const void *data, Py_ssize_t a, Py_ssize_t e)
{
    if (buffer_reserve(b, (size_t)(e - a) * 4 + 1) < 0) {
        return -1;
    }
    char *out = b->data + b->len;
    for (Py_ssize_t i = a; i < e; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x80) {
            *out++ = (char)c;
        }
        else if (c < 0x800) {
            *out++ = (char)(0xC0 | (c >> 6));
            *out++ = (char)(0x80 | (c & 0x3F));
        }
        else if (c < 0x10000) {
            if (c >= 0xD800 && c <= 0xDFFF) {
                return 1; /* a lone surrogate: Python's pass knows what to do */
            }
            *out++ = (char)(0xE0 | (c >> 12));
            *out++ = (char)(0x80 | ((c >> 6) & 0x3F));
            *out++ = (char)(0x80 | (c & 0x3F));
        }
        else {
            *out++ = (char)(0xF0 | (c >> 18));
            *out++ = (char)(0x80 | ((c >> 12) & 0x3F));
            *out++ = (char)(0x80 | ((c >> 6) & 0x3F));
            *out++ = (char)(0x80 | (c & 0x3F));
        }
    }
    b->len = (size_t)(out - b->data);
    return 0;
}

/* The rows of `text`, every read of a character compiled for one `kind`. */
FORCE_INLINE PyObject *
block_rows(int kind, PyObject *text, Py_ssize_t width, const Py_ssize_t *col,
           const Tables *tables, Py_ssize_t limit, int64_t end_key, int64_t far_key)
{
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    if (size == 0) {
        Py_RETURN_NONE; /* no lines: as _plain_block, nothing to vouch for */
    }

    Buffer ids = {0}, hashes = {0};
    PyObject *hot = PyList_New(0), *hot_lines = PyList_New(0), *far = PyList_New(0);
    PyObject *result = NULL;
    Py_ssize_t starts[MAX_WIDTH + 1];
    Py_ssize_t rows = 0, pos = 0;
    if (hot == NULL || hot_lines == NULL || far == NULL) {
        goto done;
    }
    while (pos < size) {
        /* One line: field starts, and where it ends (its line break is not in it). */
        Py_ssize_t line_start = pos, fields = 1, stop;
        starts[0] = pos;
        for (;;) {
#if SWAR
            if (kind == PyUnicode_1BYTE_KIND) {
                /* Eight characters at a time up to the first below ',' (0x2C): the lowest
                 * byte this flags is exactly that one (no borrow reaches it). */
                while (pos + 8 <= size) {
                    uint64_t x;
                    memcpy(&x, (const char *)data + pos, 8);
                    uint64_t low = (x - 0x2d2d2d2d2d2d2d2dULL) & ~x & 0x8080808080808080ULL;
                    if (low) {
                        pos += CTZ64(low) >> 3;
                        break;
                    }
                    pos += 8;
                }
            }
#endif
            if (pos == size) {
                stop = pos; /* the file's last line, without its line break */
                break;
            }
            Py_UCS4 c = PyUnicode_READ(kind, data, pos);
            if (c > ',') { /* most characters: none of the ones below */
                pos++;
                continue;
            }
            if (c == ',') {
                if (fields == width) {
                    goto unsure; /* more fields than the header */
                }
                starts[fields++] = pos + 1;
            }
            else if (c == '\n') {
                stop = pos++;
                break;
            }
            else if (c == '\r') {
                if (pos + 1 < size && PyUnicode_READ(kind, data, pos + 1) == '\n') {
                    stop = pos;
                    pos += 2;
                    break;
                }
                goto unsure; /* a lone CR ends a line for the csv module */
            }
            else if (c == '"' || c == 0) {
                goto unsure;
            }
            pos++;
        }
        if (fields != width) {
            goto unsure; /* fewer fields, or a blank line */
        }
        starts[width] = stop + 1; /* so that field k is [starts[k], starts[k + 1] - 1) */
        for (Py_ssize_t k = 0; k < width; k++) {
            if (starts[k + 1] - 1 - starts[k] > limit) {
                goto unsure;
            }
        }
#define FIELD_START(c) (starts[col[c]])
#define FIELD_END(c) (starts[col[c] + 1] - 1)
        /* The id: not blank, nothing str.strip would take, no Excel number. */
        Py_ssize_t a = FIELD_START(ID), e = FIELD_END(ID);
        if (a == e || Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, a)) ||
            Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, e - 1))) {
            goto unsure;
        }
        /* As hash_str does (two lanes), watching for "E+" and "e+". */
        uint64_t even = HASH_START, odd = HASH_START;
        Py_UCS4 previous = 0;
        Py_ssize_t i = a;
        for (; i + 1 < e; i += 2) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i), d = PyUnicode_READ(kind, data, i + 1);
            if ((c == '+' && (previous | 0x20) == 'e') || (d == '+' && (c | 0x20) == 'e')) {
                goto unsure;
            }
            even = HASH_STEP(even, c);
            odd = HASH_STEP(odd, d);
            previous = d;
        }
        if (i < e) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (c == '+' && (previous | 0x20) == 'e') {
                goto unsure;
            }
            even = HASH_STEP(even, c);
        }
        uint64_t h = HASH_JOIN(even, odd, e - a);
        if (may_hold_personal_number(kind, data, a, e)) {
            goto unsure;
        }
        if (!code_known(tables, kind, data, FIELD_START(QUERIER), FIELD_END(QUERIER)) ||
            !code_known(tables, kind, data, FIELD_START(PROVIDER), FIELD_END(PROVIDER))) {
            goto unsure;
        }
        int item = item_known(tables, kind, data, FIELD_START(ITEM), FIELD_END(ITEM));
        int status =
            table_get(&tables->statuses, kind, data, FIELD_START(STATUS), FIELD_END(STATUS));
        int64_t moment = moment_key(kind, data, FIELD_START(REQUESTED), FIELD_END(REQUESTED));
        if (!item || !status || moment < 0) {
            goto unsure;
        }
        /* Value 2 marks a cutoff item and an open status. */
        if (item == 2 && status == 2) {
            if (moment < end_key) {
                PyObject *index = PyLong_FromSsize_t(rows);
                PyObject *line = PyUnicode_Substring(text, line_start, stop);
                int failed = index == NULL || line == NULL || PyList_Append(hot, index) < 0 ||
                             PyList_Append(hot_lines, line) < 0;
                Py_XDECREF(index);
                Py_XDECREF(line);
                if (failed) {
                    goto done;
                }
            }
            else if (moment >= far_key) {
                PyObject *index = PyLong_FromSsize_t(rows);
                int failed = index == NULL || PyList_Append(far, index) < 0;
                Py_XDECREF(index);
                if (failed) {
                    goto done;
                }
            }
        }
#undef FIELD_START
#undef FIELD_END
        if (rows) {
            if (buffer_reserve(&ids, 1) < 0) {
                goto done;
            }
            ids.data[ids.len++] = '\n';
        }
        int written = append_utf8(&ids, kind, data, a, e);
        if (written < 0 || buffer_reserve(&hashes, 8) < 0) {
            goto done;
        }
        if (written > 0) {
            goto unsure;
        }
        int64_t signed_h = (int64_t)h;
        memcpy(hashes.data + hashes.len, &signed_h, 8);
        hashes.len += 8;
        rows++;
    }
    result = Py_BuildValue("(nNNNy#y#)", rows, hot, hot_lines, far, ids.data ? ids.data : "",
                           (Py_ssize_t)ids.len, hashes.data ? hashes.data : "",
                           (Py_ssize_t)hashes.len);
    hot = hot_lines = far = NULL; /* stolen by N */
    goto done;
unsure:
    if (!PyErr_Occurred()) {
        result = Py_NewRef(Py_None);
    }
done:
    Py_XDECREF(hot);
    Py_XDECREF(hot_lines);
    Py_XDECREF(far);
    PyMem_Free(ids.data);
    PyMem_Free(hashes.data);
    return result;
}

static PyObject *
block_1(PyObject *text, Py_ssize_t width, const Py_ssize_t *col, const Tables *tables,
        Py_ssize_t limit, int64_t end_key, int64_t far_key)
{
    return block_rows(PyUnicode_1BYTE_KIND, text, width, col, tables, limit, end_key, far_key);
}

static PyObject *
block_2(PyObject *text, Py_ssize_t width, const Py_ssize_t *col, const Tables *tables,
        Py_ssize_t limit, int64_t end_key, int64_t far_key)
{
    return block_rows(PyUnicode_2BYTE_KIND, text, width, col, tables, limit, end_key, far_key);
}

static PyObject *
block_4(PyObject *text, Py_ssize_t width, const Py_ssize_t *col, const Tables *tables,
        Py_ssize_t limit, int64_t end_key, int64_t far_key)
{
    return block_rows(PyUnicode_4BYTE_KIND, text, width, col, tables, limit, end_key, far_key);
}

static PyObject *
scan_block(PyObject *module, PyObject *args)
{
    PyObject *text, *columns, *capsule;
    Py_ssize_t width, limit;
    long long end_key, far_key;
    (void)module;
    if (!PyArg_ParseTuple(args, "UnO!OnLL:block", &text, &width, &PyTuple_Type, &columns,
                          &capsule, &limit, &end_key, &far_key)) {
        return NULL;
    }
    Tables *tables = PyCapsule_GetPointer(capsule, "cutover._scan.Tables");
    if (tables == NULL) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(columns) != COLUMNS || width < 2 || width > MAX_WIDTH) {
        PyErr_SetString(PyExc_ValueError, "block() takes 6 column positions and 2-256 columns");
        return NULL;
    }
    Py_ssize_t col[COLUMNS];
    for (int c = 0; c < COLUMNS; c++) {
        col[c] = PyLong_AsSsize_t(PyTuple_GET_ITEM(columns, c));
        if (col[c] == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (col[c] < 0 || col[c] >= width) {
            PyErr_SetString(PyExc_ValueError, "a column position outside the row");
            return NULL;
        }
    }
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        return block_1(text, width, col, tables, limit, end_key, far_key);
    case PyUnicode_2BYTE_KIND:
        return block_2(text, width, col, tables, limit, end_key, far_key);
    default:
        return block_4(text, width, col, tables, limit, end_key, far_key);
    }
}

/* ---- the id index ---------------------------------------------------------------------- */

/* Append each of `hashes` to its bucket's array (its low bits, stably), and note, for each
 * bucket that got some, that a run of segment `number` ends there: _IdIndex's staging. */
static PyObject *
scan_distribute(PyObject *module, PyObject *args)
{
    Py_buffer view;
    PyObject *buckets, *owners, *ends, *number;
    (void)module;
    if (!PyArg_ParseTuple(args, "y*O!O!O!O:distribute", &view, &PyList_Type, &buckets,
                          &PyList_Type, &owners, &PyList_Type, &ends, &number)) {
        return NULL;
    }
    PyObject *result = NULL;
    Py_ssize_t *at = NULL;
    char *sorted = NULL;
    Py_ssize_t k, n = view.len / 8, count = PyList_GET_SIZE(buckets);
    if (view.len % 8 != 0 || count < 1 || (count & (count - 1)) != 0 ||
        PyList_GET_SIZE(owners) != count || PyList_GET_SIZE(ends) != count) {
        PyErr_SetString(PyExc_ValueError,
                        "distribute() takes 8-byte hashes and three lists of 2**k buckets");
        goto done;
    }
    uint64_t mask = (uint64_t)count - 1;
    at = PyMem_Calloc((size_t)count + 1, sizeof(Py_ssize_t));
    sorted = PyMem_Malloc(view.len ? (size_t)view.len : 1);
    if (at == NULL || sorted == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    const char *in = view.buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t h;
        memcpy(&h, in + 8 * i, 8);
        at[(h & mask) + 1]++;
    }
    for (k = 0; k < count; k++) {
        at[k + 1] += at[k];
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t h;
        memcpy(&h, in + 8 * i, 8);
        memcpy(sorted + 8 * at[h & mask]++, &h, 8);
    }
    /* at[k] is now where bucket k ends (and bucket k + 1 starts). The lists' items are
     * held while Python code (frombytes, append) runs, and the lists must keep their
     * length; each bucket gets a copy of its hashes, never a view of this buffer. */
    Py_ssize_t start = 0;
    for (k = 0; k < count; k++) {
        Py_ssize_t stop = at[k];
        if (stop == start) {
            continue;
        }
        if (PyList_GET_SIZE(buckets) != count || PyList_GET_SIZE(owners) != count ||
            PyList_GET_SIZE(ends) != count) {
            PyErr_SetString(PyExc_RuntimeError, "distribute(): a list changed size");
            goto done;
        }
        PyObject *bucket = Py_NewRef(PyList_GET_ITEM(buckets, k));
        PyObject *owner = Py_NewRef(PyList_GET_ITEM(owners, k));
        PyObject *run_ends = Py_NewRef(PyList_GET_ITEM(ends, k));
        PyObject *piece = PyBytes_FromStringAndSize(sorted + 8 * start, 8 * (stop - start));
        PyObject *r = piece == NULL ? NULL : PyObject_CallMethod(bucket, "frombytes", "O", piece);
        Py_XDECREF(piece);
        int failed = r == NULL;
        Py_XDECREF(r);
        if (!failed) {
            Py_ssize_t length = PyObject_Size(bucket);
            PyObject *end = length < 0 ? NULL : PyLong_FromSsize_t(length);
            r = end == NULL ? NULL : PyObject_CallMethod(run_ends, "append", "O", end);
            Py_XDECREF(end);
            failed = r == NULL;
            Py_XDECREF(r);
        }
        if (!failed) {
            r = PyObject_CallMethod(owner, "append", "O", number);
            failed = r == NULL;
            Py_XDECREF(r);
        }
        Py_DECREF(bucket);
        Py_DECREF(owner);
        Py_DECREF(run_ends);
        if (failed) {
            goto done;
        }
        start = stop;
    }
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(at);
    PyMem_Free(sorted);
    PyBuffer_Release(&view);
    return result;
}

/* The hashes found more than once in `hashes` (8 bytes each), each once, as a set. */
static PyObject *
scan_repeated(PyObject *module, PyObject *arg)
{
    Py_buffer view;
    (void)module;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    PyObject *found = NULL;
    uint64_t *keys = NULL;
    unsigned char *seen = NULL;
    if (view.len % 8 != 0) {
        PyErr_SetString(PyExc_ValueError, "repeated() takes 8-byte hashes");
        goto done;
    }
    Py_ssize_t n = view.len / 8;
    size_t size = 16;
    while (size < (size_t)n * 2) {
        size <<= 1;
    }
    keys = PyMem_New(uint64_t, size);
    seen = PyMem_Calloc(size, 1); /* 0: empty, 1: once, 2: more than once (reported) */
    found = PySet_New(NULL);
    if (keys == NULL || seen == NULL || found == NULL) {
        if (found != NULL) {
            PyErr_NoMemory();
        }
        Py_CLEAR(found);
        goto done;
    }
    const char *in = view.buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t h;
        memcpy(&h, in + 8 * i, 8);
        size_t j = (size_t)finish(h) & (size - 1); /* the low bits are the bucket's: mix */
        while (seen[j] && keys[j] != h) {
            j = (j + 1) & (size - 1);
        }
        if (!seen[j]) {
            seen[j] = 1;
            keys[j] = h;
        }
        else if (seen[j] == 1) {
            seen[j] = 2;
            PyObject *value = PyLong_FromLongLong((long long)(int64_t)h);
            if (value == NULL || PySet_Add(found, value) < 0) {
                Py_XDECREF(value);
                Py_CLEAR(found);
                goto done;
            }
            Py_DECREF(value);
        }
    }
done:
    PyMem_Free(keys);
    PyMem_Free(seen);
    PyBuffer_Release(&view);
    return found;
}

/* ---- the module --------------------------------------------------------------------------- */

static PyMethodDef methods[] = {
    {"hash_id", scan_hash_id, METH_O,
     "hash_id(text) -> int: the 64-bit hash block() gives a query id, seeded per process."},
    {"tables", scan_tables, METH_VARARGS,
     "tables(codes, items, statuses) -> the texts block() accepts, each dict of str to int "
     "(2 marks an open status or a cutoff item)."},
    {"block", scan_block, METH_VARARGS,
     "block(text, width, columns, tables, limit, end, far) -> (rows, hot, hot_lines, far, "
     "ids, hashes), or None when a row must be read by Python."},
    {"distribute", scan_distribute, METH_VARARGS,
     "distribute(hashes, buckets, owners, ends, number): add hashes to their buckets' arrays "
     "(their low bits), and the run of segment `number` to each bucket that got some."},
    {"repeated", scan_repeated, METH_O,
     "repeated(hashes) -> the set of 8-byte hashes found more than once in the buffer."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "cutover._scan",
    "The row pass of triage over plain CSV text, in C (optional; see cutover.triage).", -1,
    methods,
};

PyMODINIT_FUNC
PyInit__scan(void)
{
    PyObject *os = PyImport_ImportModule("os");
    if (os == NULL) {
        return NULL;
    }
    PyObject *random = PyObject_CallMethod(os, "urandom", "i", 8);
    Py_DECREF(os);
    if (random == NULL) {
        return NULL;
    }
    memcpy(&hash_seed, PyBytes_AS_STRING(random), 8);
    Py_DECREF(random);
    return PyModule_Create(&module_def);
}

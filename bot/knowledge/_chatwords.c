/* The compiled twin of `bot.knowledge.chatwords.WordTable`, for speed: every chat message the bot can see
 * goes through `screen`, and most name nothing. chatwords.py says what each method means;
 * tests/knowledge/test_chatwords.py holds the two tables equal on generated text.
 *
 * The table is a set of ASCII words, each with flags, kept as open addressing over the words' hashes:
 * Python's own string hash, keyed at random in each process, so that chat cannot be written to collide.
 * A slot holds a hash with its six low bits replaced by the word's flags; 0 is an empty slot. Only the
 * hash is kept, so a message's words are looked up without making a Python object for each: two words
 * whose hashes agree on the other 58 bits would share their flags, a chance of about one in 10^12 for
 * each word of a message against a table of a million words.
 *
 * Words with characters outside ASCII are kept apart, in a dict. Their hashes are taken over two or four
 * bytes a character, so a word in another script can hash as an ASCII word does ("牰摥" as "pred"); in
 * one table, a member could make a medicine's name KNOWN by writing such a word in chat.
 *
 * A word is a run of ASCII letters and digits, lower-cased; an apostrophe (' or U+2019) between two of
 * them joins them and is dropped ("don't" is "dont"). Every other character separates words.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define FLAG_WIDTH 6 /* the low bits of a slot that hold flags, as chatwords.py names them: */
#define FLAG_BITS ((1u << FLAG_WIDTH) - 1)
#define KNOWN 1u
#define BEGINS 2u
#define LEARNED 4u
#define NAME_WORDS 8u /* a pair's flags are this times the most words of a name it begins */
#define FIRST_CAPACITY 1024

typedef struct {
    PyObject_HEAD
    uint64_t *slots;
    size_t mask; /* capacity - 1; the capacity is a power of two */
    Py_ssize_t used;
    PyObject *others; /* {word: flags} for words with characters outside ASCII */
} WordTable;

/* Where a hash's search begins: from its bits above the flags, so that a slot's own value gives it. */
static size_t slot_of(const WordTable *table, uint64_t hash) { return (size_t)(hash >> FLAG_WIDTH) & table->mask; }

/* The slot holding `hash`, or the empty slot where it would go. The table is never more than half full,
 * so the search ends. */
static uint64_t *find_slot(const WordTable *table, uint64_t hash) {
    size_t i = slot_of(table, hash);
    while (table->slots[i] != 0 && (table->slots[i] & ~(uint64_t)FLAG_BITS) != (hash & ~(uint64_t)FLAG_BITS)) {
        i = (i + 1) & table->mask;
    }
    return &table->slots[i];
}

static unsigned flags_of_hash(const WordTable *table, uint64_t hash) {
    return (unsigned)(*find_slot(table, hash) & FLAG_BITS);
}

static int grow(WordTable *table) {
    size_t capacity = (table->mask + 1) * 2;
    uint64_t *slots = PyMem_Calloc(capacity, sizeof(uint64_t));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    uint64_t *old = table->slots;
    size_t old_capacity = table->mask + 1;
    table->slots = slots;
    table->mask = capacity - 1;
    for (size_t i = 0; i < old_capacity; i++) {
        if (old[i] != 0) {
            *find_slot(table, old[i]) = old[i];
        }
    }
    PyMem_Free(old);
    return 0;
}

static uint64_t hash_of(PyObject *word) {
    return (uint64_t)PyObject_Hash(word); /* an exact str's hash cannot fail */
}

/* 1 for a str of ASCII characters, 0 for another str; -1 (a TypeError) for anything else. */
static int is_ascii_word(PyObject *word, const char *usage) {
    if (!PyUnicode_CheckExact(word)) {
        PyErr_SetString(PyExc_TypeError, usage);
        return -1;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(word) < 0) {
        return -1;
    }
#endif
    return PyUnicode_IS_ASCII(word);
}

static PyObject *word_table_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    if (PyTuple_GET_SIZE(args) != 0 || (kwargs != NULL && PyDict_GET_SIZE(kwargs) != 0)) {
        PyErr_SetString(PyExc_TypeError, "WordTable() takes no arguments");
        return NULL;
    }
    WordTable *table = (WordTable *)type->tp_alloc(type, 0);
    if (table == NULL) {
        return NULL;
    }
    table->slots = PyMem_Calloc(FIRST_CAPACITY, sizeof(uint64_t));
    if (table->slots == NULL) {
        Py_DECREF(table);
        return PyErr_NoMemory();
    }
    table->mask = FIRST_CAPACITY - 1;
    table->others = PyDict_New();
    if (table->others == NULL) {
        Py_DECREF(table);
        return NULL;
    }
    return (PyObject *)table;
}

static void word_table_dealloc(WordTable *table) {
    PyMem_Free(table->slots);
    Py_XDECREF(table->others);
    Py_TYPE(table)->tp_free((PyObject *)table);
}

static Py_ssize_t word_table_length(WordTable *table) { return table->used + PyDict_GET_SIZE(table->others); }

/* The flags of a word in `others` (0 when absent), or -1 on an error. */
static long other_flags(WordTable *table, PyObject *word) {
    PyObject *flags = PyDict_GetItemWithError(table->others, word); /* borrowed */
    if (flags == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    return PyLong_AsLong(flags);
}

static PyObject *word_table_add(WordTable *table, PyObject *const *args, Py_ssize_t nargs) {
    const char *usage = "add(word: str, flags: int)";
    if (nargs != 2 || !PyLong_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, usage);
        return NULL;
    }
    int ascii = is_ascii_word(args[0], usage);
    if (ascii < 0) {
        return NULL;
    }
    long flags = PyLong_AsLong(args[1]);
    if (flags < 1 || flags > (long)FLAG_BITS) {
        PyErr_Clear(); /* an int too large for a long is out of range too */
        PyErr_SetString(PyExc_ValueError, "flags must be between 1 and 63");
        return NULL;
    }
    if (!ascii) {
        long old = other_flags(table, args[0]);
        PyObject *union_ = old < 0 ? NULL : PyLong_FromLong(old | flags);
        int failed = union_ == NULL || PyDict_SetItem(table->others, args[0], union_) < 0;
        Py_XDECREF(union_);
        if (failed) {
            return NULL;
        }
        Py_RETURN_NONE;
    }
    if ((size_t)(table->used + 1) * 2 > table->mask + 1 && grow(table) < 0) {
        return NULL;
    }
    uint64_t hash = hash_of(args[0]);
    uint64_t *slot = find_slot(table, hash);
    if (*slot == 0) {
        *slot = hash & ~(uint64_t)FLAG_BITS;
        table->used++;
    }
    *slot |= (uint64_t)flags;
    Py_RETURN_NONE;
}

static PyObject *word_table_flags(WordTable *table, PyObject *word) {
    int ascii = is_ascii_word(word, "flags(word: str)");
    if (ascii < 0) {
        return NULL;
    }
    if (!ascii) {
        long flags = other_flags(table, word);
        return flags < 0 ? NULL : PyLong_FromLong(flags);
    }
    return PyLong_FromUnsignedLong(flags_of_hash(table, hash_of(word)));
}

/* Words flagged LEARNED among `others` lose it and KNOWN, in a new dict. */
static PyObject *others_forgetting(PyObject *others) {
    PyObject *kept = PyDict_New(), *word, *value;
    Py_ssize_t position = 0;
    while (kept != NULL && PyDict_Next(others, &position, &word, &value)) {
        long flags = PyLong_AsLong(value);
        if (flags & LEARNED) {
            flags &= ~(long)(LEARNED | KNOWN);
        }
        PyObject *remaining = flags > 0 ? PyLong_FromLong(flags) : NULL;
        if (flags > 0 && (remaining == NULL || PyDict_SetItem(kept, word, remaining) < 0)) {
            Py_CLEAR(kept);
        }
        Py_XDECREF(remaining);
    }
    return kept;
}

static PyObject *word_table_forget_learned(WordTable *table, PyObject *unused) {
    (void)unused;
    PyObject *others = others_forgetting(table->others);
    if (others == NULL) {
        return NULL;
    }
    uint64_t *slots = PyMem_Calloc(table->mask + 1, sizeof(uint64_t));
    if (slots == NULL) {
        Py_DECREF(others);
        return PyErr_NoMemory();
    }
    Py_SETREF(table->others, others);
    uint64_t *old = table->slots;
    table->slots = slots;
    table->used = 0;
    for (size_t i = 0; i <= table->mask; i++) {
        uint64_t slot = old[i];
        if (slot & LEARNED) {
            slot &= ~(uint64_t)(LEARNED | KNOWN);
        }
        if (slot & FLAG_BITS) {
            *find_slot(table, slot) = slot;
            table->used++;
        }
    }
    PyMem_Free(old);
    Py_RETURN_NONE;
}

/* An ASCII letter or digit folded (lower-cased), or 0 for any other character. */
static char folded_ascii[128];

static char fold_char(Py_UCS4 c) { return c < 128 ? folded_ascii[c] : 0; }

static int is_apostrophe(Py_UCS4 c) { return c == '\'' || c == 0x2019; }

/* Where one word lies: in the text, and its folded form in the buffer of folded words. */
typedef struct {
    Py_ssize_t start, end;
    Py_ssize_t folded_start, folded_length;
} Word;

/* Finds the words of text[0:length] and folds them into `folded`, each followed by one space, so that
 * "word next" is a contiguous slice of it. Returns how many words there are. Inlined for each kind of
 * str, so that the compiler makes one loop per character width. */
static inline __attribute__((always_inline)) Py_ssize_t
find_words(int kind, const void *data, Py_ssize_t length, Word *words, char *folded) {
    Py_ssize_t count = 0, used = 0, i = 0;
    while (i < length) {
        char c = fold_char(PyUnicode_READ(kind, data, i));
        if (c == 0) {
            i++;
            continue;
        }
        Word *word = &words[count++];
        word->start = i;
        word->folded_start = used;
        for (;;) {
            folded[used++] = c;
            word->end = ++i;
            if (i >= length) {
                break;
            }
            Py_UCS4 next = PyUnicode_READ(kind, data, i);
            c = fold_char(next);
            if (c == 0 && is_apostrophe(next) && i + 1 < length) {
                c = fold_char(PyUnicode_READ(kind, data, i + 1));
                if (c != 0) {
                    i++; /* an inner apostrophe: the word goes on without it */
                }
            }
            if (c == 0) {
                break;
            }
        }
        word->folded_length = used - word->folded_start;
        folded[used++] = ' ';
    }
    return count;
}

/* A new str holding `length` ASCII bytes. */
static PyObject *ascii_str(const char *bytes, Py_ssize_t length) {
    PyObject *str = PyUnicode_New(length, 127);
    if (str != NULL) {
        memcpy(PyUnicode_1BYTE_DATA(str), bytes, (size_t)length);
    }
    return str;
}

/* (words, spans, notable) for the words found, `notable` holding at least one index. */
static PyObject *screened(const char *folded, const Word *words, Py_ssize_t count, PyObject *notable) {
    PyObject *word_list = PyList_New(count), *spans = PyList_New(count), *result = NULL;
    if (word_list == NULL || spans == NULL) {
        goto done;
    }
    for (Py_ssize_t w = 0; w < count; w++) {
        PyObject *word = ascii_str(folded + words[w].folded_start, words[w].folded_length);
        PyObject *span = PyTuple_New(2);
        if (span != NULL) {
            PyObject *start = PyLong_FromSsize_t(words[w].start), *end = PyLong_FromSsize_t(words[w].end);
            PyTuple_SET_ITEM(span, 0, start); /* the tuple owns them, and drops them if one is NULL */
            PyTuple_SET_ITEM(span, 1, end);
            if (start == NULL || end == NULL) {
                Py_CLEAR(span);
            }
        }
        if (word != NULL) {
            PyList_SET_ITEM(word_list, w, word); /* the lists own them now */
        }
        if (span != NULL) {
            PyList_SET_ITEM(spans, w, span);
        }
        if (word == NULL || span == NULL) {
            goto done;
        }
    }
    result = PyTuple_Pack(3, word_list, spans, notable);
done:
    Py_XDECREF(word_list);
    Py_XDECREF(spans);
    return result;
}

static PyObject *word_table_screen(WordTable *table, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "screen(text: str)");
        return NULL;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0) {
        return NULL;
    }
#endif
    const Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (!PyUnicode_IS_ASCII(text)) {
        for (Py_ssize_t i = 0; i < length; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (c >= 128 && Py_UNICODE_ISALNUM(c)) {
                Py_RETURN_NONE; /* a letter or digit outside ASCII: only the Python code folds it */
            }
        }
    }

    /* A text of n characters has at most n / 2 + 1 words, and their folded forms with a space after
     * each take at most 2n bytes. */
    Word *words = PyMem_New(Word, length / 2 + 1);
    char *folded = PyMem_Malloc((size_t)(2 * length + 1));
    PyObject *notable = PyList_New(0), *result = NULL;
    if (words == NULL || folded == NULL || notable == NULL) {
        if (notable != NULL) {
            PyErr_NoMemory();
        }
        goto done;
    }
    Py_ssize_t count;
    if (kind == PyUnicode_1BYTE_KIND) {
        count = find_words(PyUnicode_1BYTE_KIND, data, length, words, folded);
    } else if (kind == PyUnicode_2BYTE_KIND) {
        count = find_words(PyUnicode_2BYTE_KIND, data, length, words, folded);
    } else {
        count = find_words(PyUnicode_4BYTE_KIND, data, length, words, folded);
    }

    for (Py_ssize_t w = 0; w < count; w++) {
        const char *word = folded + words[w].folded_start;
        unsigned flags = flags_of_hash(table, (uint64_t)_Py_HashBytes(word, words[w].folded_length));
        int is_notable = !(flags & KNOWN);
        if (!is_notable && (flags & BEGINS) && w + 1 < count) {
            Py_ssize_t pair_length = words[w + 1].folded_start + words[w + 1].folded_length - words[w].folded_start;
            is_notable = flags_of_hash(table, (uint64_t)_Py_HashBytes(word, pair_length)) >= NAME_WORDS;
        }
        if (is_notable) {
            PyObject *index = PyLong_FromSsize_t(w);
            int failed = index == NULL || PyList_Append(notable, index) < 0;
            Py_XDECREF(index);
            if (failed) {
                goto done;
            }
        }
    }
    if (PyList_GET_SIZE(notable) > 0) {
        result = screened(folded, words, count, notable);
    } else {
        result = Py_BuildValue("([][]O)", notable);
    }

done:
    PyMem_Free(words);
    PyMem_Free(folded);
    Py_XDECREF(notable);
    return result;
}

static PyMethodDef word_table_methods[] = {
    {"add", (PyCFunction)(void (*)(void))word_table_add, METH_FASTCALL, "add(word, flags): adds the flags to the word's."},
    {"flags", (PyCFunction)word_table_flags, METH_O, "flags(word): the word's flags, 0 when it has none."},
    {"forget_learned", (PyCFunction)word_table_forget_learned, METH_NOARGS,
     "forget_learned(): words flagged LEARNED lose it and KNOWN; words left with no flags are dropped."},
    {"screen", (PyCFunction)word_table_screen, METH_O,
     "screen(text): (words, spans, notable), or None when a letter outside ASCII needs the full folding."},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods word_table_sequence = {.sq_length = (lenfunc)word_table_length};

static PyTypeObject WordTableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bot.knowledge._chatwords.WordTable",
    .tp_doc = "Words with their flags, for the chat screen (see bot/knowledge/chatwords.py).",
    .tp_basicsize = sizeof(WordTable),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = word_table_new,
    .tp_dealloc = (destructor)word_table_dealloc,
    .tp_methods = word_table_methods,
    .tp_as_sequence = &word_table_sequence,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_chatwords",
    .m_doc = "The compiled twin of bot.knowledge.chatwords.WordTable.",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit__chatwords(void) {
    for (int c = 0; c < 128; c++) {
        folded_ascii[c] = (char)((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c
                                 : (c >= 'A' && c <= 'Z')                         ? c - 'A' + 'a'
                                                                                  : 0);
    }
    /* The screen hashes a word's ASCII bytes where `add` hashes the word's str: they must agree. */
    PyObject *probe = PyUnicode_FromString("methotrexate");
    if (probe == NULL) {
        return NULL;
    }
    int agree = PyObject_Hash(probe) == _Py_HashBytes("methotrexate", 12);
    Py_DECREF(probe);
    if (!agree) {
        PyErr_SetString(PyExc_ImportError, "this Python hashes str and bytes differently");
        return NULL;
    }
    if (PyType_Ready(&WordTableType) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    Py_INCREF(&WordTableType);
    if (PyModule_AddObject(m, "WordTable", (PyObject *)&WordTableType) < 0) {
        Py_DECREF(&WordTableType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

package pyobj

import "github.com/heaptrace/heaptrace/model"

// Dict is the memory of one dict: the object and its keys table
// (Objects/dictobject.c, combined tables only). A dict's growth depends on
// counts alone, never on hash values: deletions leave dummies that still
// use up entries, and insertions always append an entry.
type Dict struct {
	Obj      model.Addr
	Keys     model.Addr // 0 while the dict shares the static empty keys
	Log2     int        // log2 of the table's slots
	Unicode  bool       // DICT_KEYS_UNICODE: every key is an exact str
	Used     int        // ma_used: live keys
	Entries  int        // dk_nentries: entries appended, live or deleted
	Usable   int        // dk_usable: entries left before a resize
	fromFree bool
}

// DictAllocator allocates dict objects (through a free list of
// PyDict_MAXFREELIST) and their keys tables (8-slot unicode tables through
// their own free list).
type DictAllocator struct {
	h        *model.Heap
	p        *Profile
	typ      model.TypeID
	keysTyp  model.TypeID
	free     freeList
	freeKeys freeList
}

const dictLog2MinSize = 3 // PyDict_LOG_MINSIZE

// usableFraction is USABLE_FRACTION: 2/3 of the slots.
func usableFraction(slots int) int { return (slots << 1) / 3 }

// calculateLog2KeySize returns the smallest log2 size of at least minsize
// slots, and at least PyDict_MINSIZE.
func calculateLog2KeySize(minsize int) int {
	log2 := dictLog2MinSize
	for 1<<log2 < minsize {
		log2++
	}
	return log2
}

// KeysSize returns the request of a keys table of 2**log2 slots:
// the header, the index array (1, 2, 4 or 8 bytes a slot) and the entries
// (key, value for unicode tables; hash, key, value otherwise).
func (a *DictAllocator) KeysSize(log2 int, unicode bool) int64 {
	var indexLog2 int
	switch {
	case log2 < 8:
		indexLog2 = log2
	case log2 < 16:
		indexLog2 = log2 + 1
	case log2 < 32:
		indexLog2 = log2 + 2
	default:
		indexLog2 = log2 + 3
	}
	entry := 3 * a.p.PtrSize
	if unicode {
		entry = 2 * a.p.PtrSize
	}
	return a.p.DictKeys + int64(1)<<indexLog2 + entry*int64(usableFraction(1<<log2))
}

// SizeOf returns sys.getsizeof of d.
func (a *DictAllocator) SizeOf(d *Dict) int64 {
	n := a.p.GCHead + a.p.DictObject
	if d.Keys != 0 {
		n += a.KeysSize(d.Log2, d.Unicode)
	}
	return n
}

// New is PyDict_New: an empty dict sharing the static empty keys.
func (a *DictAllocator) New() (*Dict, error) {
	obj, err := a.free.alloc(a.h, a.typ, a.p.GCHead+a.p.DictObject)
	if err != nil {
		return nil, err
	}
	return &Dict{Obj: obj}, nil
}

// NewPresized is dict_new_presized(n), used by dict displays: an empty
// dict for up to 5 keys, else a table sized for n keys.
func (a *DictAllocator) NewPresized(n int, unicode bool) (*Dict, error) {
	d, err := a.New()
	if err != nil || n <= usableFraction(1<<dictLog2MinSize) {
		return d, err
	}
	const log2MaxPresize = 17
	log2 := log2MaxPresize
	if n <= usableFraction(1<<log2MaxPresize) {
		log2 = calculateLog2KeySize((n*3 + 1) / 2) // estimate_log2_keysize
	}
	if err := a.newKeys(d, log2, unicode); err != nil {
		a.Free(d)
		return nil, err
	}
	return d, nil
}

// newKeys is new_keys_object: a fresh table, 8-slot unicode ones from
// their free list. The caller frees the old table.
func (a *DictAllocator) newKeys(d *Dict, log2 int, unicode bool) error {
	var keys model.Addr
	var err error
	if log2 == dictLog2MinSize && unicode {
		keys, err = a.freeKeys.alloc(a.h, a.keysTyp, a.KeysSize(log2, unicode))
	} else {
		keys, err = a.h.Malloc(a.keysTyp, a.KeysSize(log2, unicode))
	}
	if err != nil {
		return err
	}
	d.Keys, d.Log2, d.Unicode = keys, log2, unicode
	d.Entries, d.Usable = 0, usableFraction(1<<log2)
	return nil
}

// freeKeys is free_keys_object: 8-slot unicode tables are parked.
func (a *DictAllocator) freeKeysTable(keys model.Addr, log2 int, unicode bool) {
	if keys == 0 {
		return
	}
	if log2 == dictLog2MinSize && unicode && a.freeKeys.push(a.h, keys, a.p.DictKeysFreeList) {
		return
	}
	a.h.Free(keys)
}

// resize is dictresize: the new table is made before the old one is
// freed, so both are live at once. The live entries move over compacted.
func (a *DictAllocator) resize(d *Dict, log2 int, unicode bool) error {
	oldKeys, oldLog2, oldUnicode := d.Keys, d.Log2, d.Unicode
	if err := a.newKeys(d, log2, unicode && oldUnicode); err != nil {
		d.Keys, d.Log2, d.Unicode = oldKeys, oldLog2, oldUnicode
		return err
	}
	d.Entries = d.Used
	d.Usable -= d.Used
	a.freeKeysTable(oldKeys, oldLog2, oldUnicode)
	return nil
}

// Insert records the insertion of a key that is not in d yet; strKey
// tells whether the key is an exact str. It is insertdict: the first key
// of an empty dict makes an 8-slot table; a non-str key turns a unicode
// table general (a resize); a full table resizes to the smallest power of
// two of at least 3*used slots.
func (a *DictAllocator) Insert(d *Dict, strKey bool) error {
	if d.Keys == 0 {
		if err := a.newKeys(d, dictLog2MinSize, strKey); err != nil {
			return err
		}
	} else {
		if err := a.Convert(d, strKey); err != nil {
			return err
		}
		if d.Usable <= 0 {
			if err := a.resize(d, calculateLog2KeySize(3*d.Used), true); err != nil {
				return err
			}
		}
	}
	d.Used++
	d.Entries++
	d.Usable--
	return nil
}

// Convert is insertdict's first step, run for every store (new key or
// not): a key that is not an exact str turns a unicode table general.
func (a *DictAllocator) Convert(d *Dict, strKey bool) error {
	if d.Keys == 0 || !d.Unicode || strKey {
		return nil
	}
	return a.resize(d, calculateLog2KeySize(3*d.Used), false)
}

// Delete records the deletion of a key: the entry stays used up.
func (a *DictAllocator) Delete(d *Dict) { d.Used-- }

// Clear is dict.clear(): the table goes, the dict shares the empty keys.
func (a *DictAllocator) Clear(d *Dict) {
	a.freeKeysTable(d.Keys, d.Log2, d.Unicode)
	d.Keys, d.Log2, d.Used, d.Entries, d.Usable = 0, 0, 0, 0, 0
}

// Copy is PyDict_Copy (dict.copy()): a dict with at most a third of its
// entries deleted gets a clone of its table (same size, never from the
// free list); otherwise a new dict is merged from it, compacted.
func (a *DictAllocator) Copy(src *Dict) (*Dict, error) {
	if src.Used == 0 || src.Used < src.Entries*2/3 {
		d, err := a.New()
		if err != nil || src.Used == 0 {
			return d, err
		}
		if _, err := a.MergeDict(d, src); err != nil {
			a.Free(d)
			return nil, err
		}
		return d, nil
	}
	keys, err := a.h.Malloc(a.keysTyp, a.KeysSize(src.Log2, src.Unicode))
	if err != nil {
		return nil, err
	}
	d, err := a.New()
	if err != nil {
		a.h.Free(keys)
		return nil, err
	}
	a.clone(d, keys, src)
	return d, nil
}

func (a *DictAllocator) clone(d *Dict, keys model.Addr, src *Dict) {
	*d = Dict{Obj: d.Obj, Keys: keys, Log2: src.Log2, Unicode: src.Unicode, Used: src.Used, Entries: src.Entries, Usable: src.Usable}
}

// MergeDict is dict_merge with a dict argument (dict(d), d.update(other),
// {**other}). Into an empty dict, a compact source's table is cloned and
// MergeDict returns true: the keys are all in. Otherwise the table grows
// once up front (see Presize) and the caller calls Insert for each key
// that is new.
func (a *DictAllocator) MergeDict(d, src *Dict) (cloned bool, err error) {
	if src.Used == 0 || d == src {
		return false, nil
	}
	if d.Used == 0 && src.Used == src.Entries &&
		(src.Log2 == dictLog2MinSize || usableFraction((1<<src.Log2)/2) < src.Used) {
		keys, err := a.h.Malloc(a.keysTyp, a.KeysSize(src.Log2, src.Unicode))
		if err != nil {
			return false, err
		}
		a.freeKeysTable(d.Keys, d.Log2, d.Unicode)
		a.clone(d, keys, src)
		return true, nil
	}
	return false, a.Presize(d, src.Used, src.Unicode)
}

// Presize is dict_merge's one big resize for n incoming keys: when the
// table (the empty keys count as 8 slots) could not take n more, it is
// resized for used+n keys. unicode says whether every incoming key is a str.
func (a *DictAllocator) Presize(d *Dict, n int, unicode bool) error {
	log2 := d.Log2
	if d.Keys == 0 {
		log2 = dictLog2MinSize
	}
	if usableFraction(1<<log2) >= n {
		return nil
	}
	newLog2 := calculateLog2KeySize(((d.Used+n)*3 + 1) / 2)
	if d.Keys == 0 {
		return a.newKeys(d, newLog2, unicode)
	}
	return a.resize(d, newLog2, unicode)
}

// Free frees the keys table and parks or frees the object.
func (a *DictAllocator) Free(d *Dict) {
	a.freeKeysTable(d.Keys, d.Log2, d.Unicode)
	d.Keys = 0
	if !a.free.push(a.h, d.Obj, a.p.DictFreeList) {
		a.h.Free(d.Obj)
	}
	d.Obj = 0
}

// Parked returns the number of dict objects and keys tables parked.
func (a *DictAllocator) Parked() (dicts, keys int) { return a.free.Len(), a.freeKeys.Len() }

func (a *DictAllocator) clear() {
	a.free.clear(a.h)
	a.freeKeys.clear(a.h)
}

package syntax

// Flow is one parsed flow: its steps, functions, imports, inserts and
// constants.
type Flow struct {
	Name string
	// Steps maps a step name to the step; when a name is defined twice the
	// last definition wins, as in the reference.
	Steps map[string]*Step
	// Order lists every step definition in source order, duplicates included.
	Order []*Step
	Funcs map[string]*Func
	// FuncDups are the functions defined again after a first definition
	// (the last one wins).
	FuncDups []*Func
	Imports  []*Import
	Inserts  []*Insert
	Consts   []*Const
}

// Step is name: followed by its actions. Hash identifies the step's source
// (tokens only: whitespace and comments do not change it), so that a saved
// hold can tell whether the step changed since.
type Step struct {
	P    Pos
	Name string
	Body *Block
	Hash string
}

// Func is fn name(params): body, or fn name(params) { body }.
type Func struct {
	P      Pos
	Name   string
	Params []string
	Body   *Block
}

// Import is import fn [as alias] [from flow]; Name is the local name,
// Original the imported function's name. Module is set for "from modules/x".
type Import struct {
	P        Pos
	Name     string
	Original string
	From     string
	Module   bool
}

// Insert is insert step [as alias] from flow.
type Insert struct {
	P        Pos
	Name     string
	Original string
	From     string
}

// Const is const NAME = value.
type Const struct {
	P     Pos
	Name  string
	Value Expr
}

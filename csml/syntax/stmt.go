package syntax

// Stmt is an action of a step, a function or a block.
type Stmt interface {
	Start() Pos
	// Number is the action's place in the reference's hold numbering.
	Number() *Numbering
}

// Numbering is an action's hold number: Index counts actions depth-first
// from 0 across a step (an if, foreach or while takes the index of its first
// inner action), and Index+Total is the index of its last inner action.
type Numbering struct {
	Index int
	Total int
}

// Number returns n itself, so that every action embedding it is a Stmt.
func (n *Numbering) Number() *Numbering { return n }

// Block is a sequence of actions.
type Block struct {
	P     Pos
	Stmts []Stmt
}

// Say is say X.
type Say struct {
	Numbering
	P Pos
	X Expr
}

// Debug is debug X.
type Debug struct {
	Numbering
	P Pos
	X Expr
}

// Log is log [level] X; it sends nothing to the user.
type Log struct {
	Numbering
	P     Pos
	Level string
	X     Expr
}

// Use is the deprecated use X as name.
type Use struct {
	Numbering
	P Pos
	X Expr
}

// Do is do X, evaluated for its side effects.
type Do struct {
	Numbering
	P Pos
	X Expr
}

// Assignment is do Target = Value, or a compound form (Op is then the operator
// of +=, -=, *=, /=, %=; OpNone for plain =). Target is an *Ident or a *Path of
// keys and indexes on an *Ident.
type Assignment struct {
	Numbering
	P      Pos
	Op     Op
	Target Expr
	Value  Expr
}

// Remember is remember Name = Value (or remember Value as Name).
type Remember struct {
	Numbering
	P       Pos
	Name    string
	NamePos Pos
	Value   Expr
}

// Forget is forget name, forget [a, b] or forget *.
type Forget struct {
	Numbering
	P     Pos
	All   bool
	Names []Ident
}

// GotoKind tells which goto form was written.
type GotoKind uint8

// Goto forms: goto step x, goto flow f, and the rest (x, x@f, @f, x@).
const (
	GotoStep GotoKind = iota
	GotoFlow
	GotoStepFlow
)

// Target is a goto target: a Name, or Var for $variable forms.
type Target struct {
	P    Pos
	Name string
	Var  Expr
}

// Goto is a goto action. Step and Flow may be nil in the GotoStepFlow form
// (nil step = start, nil flow = the current flow). Bot is set for "in bot".
type Goto struct {
	Numbering
	P    Pos
	Kind GotoKind
	Step *Target
	Flow *Target
	Bot  *Target
}

// Previous is previous step or previous flow.
type Previous struct {
	Numbering
	P    Pos
	Flow bool
}

// Hold is hold or hold_secure.
type Hold struct {
	Numbering
	P      Pos
	Secure bool
}

// Break is break.
type Break struct {
	Numbering
	P Pos
}

// Continue is continue.
type Continue struct {
	Numbering
	P Pos
}

// Return is return X.
type Return struct {
	Numbering
	P Pos
	X Expr
}

// If is if (Cond) Then, followed by either ElseIf or Else (or neither).
// Last is the index of the last action of Then, which picks the branch to
// re-enter when resuming a hold.
type If struct {
	Numbering
	P      Pos
	Cond   Expr
	Then   *Block
	Last   int
	ElseIf *If
	Else   *Block
}

// Foreach is foreach (Item[, IndexVar]) in X { Body }.
type Foreach struct {
	Numbering
	P        Pos
	Item     string
	IndexVar string
	X        Expr
	Body     *Block
}

// While is while (Cond) { Body }.
type While struct {
	Numbering
	P    Pos
	Cond Expr
	Body *Block
}

// Start implementations.

func (s *Say) Start() Pos        { return s.P }
func (s *Debug) Start() Pos      { return s.P }
func (s *Log) Start() Pos        { return s.P }
func (s *Use) Start() Pos        { return s.P }
func (s *Do) Start() Pos         { return s.P }
func (s *Assignment) Start() Pos { return s.P }
func (s *Remember) Start() Pos   { return s.P }
func (s *Forget) Start() Pos     { return s.P }
func (s *Goto) Start() Pos       { return s.P }
func (s *Previous) Start() Pos   { return s.P }
func (s *Hold) Start() Pos       { return s.P }
func (s *Break) Start() Pos      { return s.P }
func (s *Continue) Start() Pos   { return s.P }
func (s *Return) Start() Pos     { return s.P }
func (s *If) Start() Pos         { return s.P }
func (s *Foreach) Start() Pos    { return s.P }
func (s *While) Start() Pos      { return s.P }

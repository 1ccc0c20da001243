package syntax

// Expr is an expression. Start is the position the reference engine reports
// for errors about the expression: its first token.
type Expr interface {
	Start() Pos
}

// Op is a binary operator.
type Op uint8

// Binary operators, and the compound assignments that reuse them.
const (
	OpNone Op = iota
	OpAdd
	OpSub
	OpMul
	OpDiv
	OpRem
	OpEq
	OpNe
	OpLt
	OpLe
	OpGt
	OpGe
	OpMatch
	OpNotMatch
	OpAnd
	OpOr
)

var opNames = [...]string{
	OpNone: "=", OpAdd: "+", OpSub: "-", OpMul: "*", OpDiv: "/", OpRem: "%",
	OpEq: "==", OpNe: "!=", OpLt: "<", OpLe: "<=", OpGt: ">", OpGe: ">=",
	OpMatch: "match", OpNotMatch: "!match", OpAnd: "&&", OpOr: "||",
}

func (o Op) String() string { return opNames[o] }

// NullLit is null (any case: NULL, Null).
type NullLit struct{ P Pos }

// BoolLit is true or false.
type BoolLit struct {
	P     Pos
	Value bool
}

// IntLit is an integer literal. Literals the reference cannot read (1_000, an
// i64 overflow) are 0, as there.
type IntLit struct {
	P     Pos
	Value int64
}

// FloatLit is a float literal (4.2, .5).
type FloatLit struct {
	P     Pos
	Value float64
}

// StringLit is a double-quoted string: literal text and {{ }} interpolations.
// Raw marks a \"...\" literal written inside an interpolation.
type StringLit struct {
	P     Pos
	Parts []Part
	Raw   bool
}

// Part is one piece of a string: Text when X is nil, else an interpolation.
type Part struct {
	Text string
	X    Expr
}

// ArrayLit is [a, b, ...].
type ArrayLit struct {
	P     Pos
	Elems []Expr
}

// ObjectLit is {"key": value, ...}; keys keep their source order.
type ObjectLit struct {
	P      Pos
	Fields []Field
}

// Field is one key of an object literal.
type Field struct {
	Key   string
	Value Expr
}

// Ident is a name: a variable, or event, _metadata, _memory, _env.
type Ident struct {
	P    Pos
	Name string
}

// Call is name(args): a component, a builtin, a function or a closure.
type Call struct {
	P    Pos
	Name string
	Args []Arg
}

// Arg is one call argument; Name is empty for a positional argument.
type Arg struct {
	P     Pos
	Name  string
	Value Expr
}

// Path is X followed by .key, [index] and .method(args) segments.
type Path struct {
	X    Expr
	Segs []Seg
}

// SegKind tells what a path segment does.
type SegKind uint8

// Path segment kinds.
const (
	SegKey    SegKind = iota // .key
	SegIndex                 // [expr]
	SegMethod                // .name(args)
)

// Seg is one path segment. P is the position of the key, bracket or method
// name.
type Seg struct {
	P     Pos
	Kind  SegKind
	Name  string // the key or the method name
	Index Expr
	Args  []Arg
}

// Binary is L Op R.
type Binary struct {
	P    Pos
	Op   Op
	L, R Expr
}

// Negation is one or more '!' before an additive expression.
type Negation struct {
	P     Pos
	Count int
	X     Expr
}

// As is X as Name: evaluates X and also binds it as a step variable.
type As struct {
	P       Pos
	Name    string
	NamePos Pos
	X       Expr
}

// Closure is (params) { body }; Src is its source text, which memories
// keep to restore it.
type Closure struct {
	P      Pos
	Params []string
	Body   *Block
	Src    string
}

// Start implementations.

func (e *NullLit) Start() Pos   { return e.P }
func (e *BoolLit) Start() Pos   { return e.P }
func (e *IntLit) Start() Pos    { return e.P }
func (e *FloatLit) Start() Pos  { return e.P }
func (e *StringLit) Start() Pos { return e.P }
func (e *ArrayLit) Start() Pos  { return e.P }
func (e *ObjectLit) Start() Pos { return e.P }
func (e *Ident) Start() Pos     { return e.P }
func (e *Call) Start() Pos      { return e.P }
func (e *Path) Start() Pos      { return e.X.Start() }
func (e *Binary) Start() Pos    { return e.P }
func (e *Negation) Start() Pos  { return e.P }
func (e *As) Start() Pos        { return e.P }
func (e *Closure) Start() Pos   { return e.P }

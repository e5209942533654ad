package music

import "github.com/djembe/djembe/web"

// formView is a form as the plugin's form pages draw it: each field's
// value to show again and the message beside it. Its templates "upfield"
// and "upend" (views/_form.html) open and close one labelled row of a
// .form-grid, the message and a hint under the input.
type formView struct {
	Form web.Form
}

// V is a field's value to show again.
func (v formView) V(name string) string { return v.Form.Values[name] }

// E is the message beside a field.
func (v formView) E(name string) string { return v.Form.Errors[name] }

// Checked reports whether a checkbox field was ticked ("1").
func (v formView) Checked(name string) bool { return v.Form.Values[name] == "1" }

// formField is one row of a form: its label, and its message and hint
// (given to the closing half of the row).
type formField struct {
	Name, Label, Error, Hint string
}

// Field is the row of field name: labelled labelOrHint when opening it
// ("upfield"), with labelOrHint as its hint when closing it ("upend").
func (v formView) Field(name, labelOrHint string) formField {
	return formField{Name: name, Label: labelOrHint, Hint: labelOrHint, Error: v.Form.Errors[name]}
}

package frontend

import (
	"fmt"
	"strings"
)

// The form components' views. Templates build them with the functions below, so that a
// label, hint and error message are always wired to their input the GOV.UK way (ids,
// aria-describedby, error classes) and a page cannot forget one of them.

// FieldView is one text input, textarea or select.
type FieldView struct {
	ID, Name     string
	Label        string
	LabelClass   string // e.g. govuk-label--m
	Hint         string
	Error        string
	Value        string
	Type         string // text, email, password, search
	Width        string // a govuk-input--width-N or govuk-!-width-... class
	Prefix       string // "£"
	Autocomplete string
	InputMode    string
	NoSpellcheck bool // for codes and email addresses
	Options      []Option
}

// Described is the aria-describedby of the input: its hint and error.
func (f FieldView) Described() string { return described(f.ID, f.Hint != "", f.Error != "") }

// field builds a FieldView: id, label, value and error message, then options as
// "key=value" strings: hint, class (of the label), type, width, prefix, autocomplete,
// inputmode, name, nospell.
func field(id, label, value, errMsg string, opts ...string) (FieldView, error) {
	f := FieldView{ID: id, Name: id, Label: label, Value: value, Error: errMsg, Type: "text"}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "hint":
			f.Hint = v
		case "class":
			f.LabelClass = v
		case "type":
			f.Type = v
		case "width":
			f.Width = v
		case "prefix":
			f.Prefix = v
		case "autocomplete":
			f.Autocomplete = v
		case "inputmode":
			f.InputMode = v
		case "name":
			f.Name = v
		case "nospell":
			f.NoSpellcheck = true
		default:
			return FieldView{}, fmt.Errorf("field %s: unknown option %q", id, o)
		}
	}
	return f, nil
}

// selectField builds a FieldView for a select with options.
func selectField(id, label string, options []Option, errMsg string, opts ...string) (FieldView, error) {
	f, err := field(id, label, "", errMsg, opts...)
	f.Options = options
	return f, err
}

// ChoicesView is a group of checkboxes or radios in a fieldset.
type ChoicesView struct {
	ID, Name    string
	Legend      string
	LegendClass string
	Hint        string
	Error       string
	Kind        string // checkboxes or radios
	Small       bool
	Options     []Option
}

// InputType is the input's type attribute.
func (c ChoicesView) InputType() string {
	if c.Kind == "radios" {
		return "radio"
	}
	return "checkbox"
}

// Described is the fieldset's aria-describedby.
func (c ChoicesView) Described() string { return described(c.ID, c.Hint != "", c.Error != "") }

// choices builds a ChoicesView: id (also the name), legend, options and error message,
// then options: radios, small, hint=..., class=... (of the legend), name=....
func choices(id, legend string, options []Option, errMsg string, opts ...string) (ChoicesView, error) {
	c := ChoicesView{ID: id, Name: id, Legend: legend, Options: options, Error: errMsg, Kind: "checkboxes"}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "radios":
			c.Kind = "radios"
		case "small":
			c.Small = true
		case "hint":
			c.Hint = v
		case "class":
			c.LegendClass = v
		case "name":
			c.Name = v
		default:
			return ChoicesView{}, fmt.Errorf("choices %s: unknown option %q", id, o)
		}
	}
	return c, nil
}

func described(id string, hint, err bool) string {
	var parts []string
	if hint {
		parts = append(parts, id+"-hint")
	}
	if err {
		parts = append(parts, id+"-error")
	}
	return strings.Join(parts, " ")
}

// NavItem is one item of the service navigation.
type NavItem struct {
	URL, Label string
	Current    bool
}

func navItem(current, section, url, label string) NavItem {
	return NavItem{URL: url, Label: label, Current: current == section}
}

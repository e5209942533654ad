// Package domaintest helps test code that handles every registered event
// type: it fills events with random values, none of them zero, so a field
// that an encoding drops or renames shows up as a difference.
package domaintest

import (
	"fmt"
	"math/rand/v2"
	"reflect"

	"github.com/djembe/djembe/domain"
)

// RandomEvent is a registered event of type typ in its newest shape with
// every exported field set to a random non-zero value. Small integer types
// get 1 or 2, so that enumerations stay valid.
func RandomEvent(typ string, rng *rand.Rand) (domain.Event, error) {
	e := domain.NewEvent(typ)
	if e == nil {
		return nil, fmt.Errorf("event type %q is not registered", typ)
	}
	v := reflect.ValueOf(e)
	if v.Kind() == reflect.Pointer {
		fill(v.Elem(), rng)
		return e, nil
	}
	p := reflect.New(v.Type())
	fill(p.Elem(), rng)
	return p.Elem().Interface().(domain.Event), nil
}

func fill(v reflect.Value, rng *rand.Rand) {
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int8, reflect.Uint8:
		setInt(v, 1+rng.Int64N(2))
	case reflect.Int, reflect.Int16, reflect.Int32, reflect.Int64:
		setInt(v, 1+rng.Int64N(30000))
	case reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		setInt(v, 1+rng.Int64N(30000))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(1+rng.IntN(1000)) / 4)
	case reflect.String:
		b := make([]byte, 1+rng.IntN(12))
		for i := range b {
			b[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[rng.IntN(36)]
		}
		v.SetString(string(b))
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			fill(v.Index(i), rng)
		}
	case reflect.Slice:
		n := 1 + rng.IntN(3)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := 0; i < n; i++ {
			fill(s.Index(i), rng)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, rng)
		fill(e, rng)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), rng)
		v.Set(p)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), rng)
			}
		}
	}
}

func setInt(v reflect.Value, n int64) {
	if v.CanInt() {
		v.SetInt(n)
	} else {
		v.SetUint(uint64(n))
	}
}

// RoundTrip encodes e and decodes it again, as the log stores and reads it.
func RoundTrip(e domain.Event) (domain.Event, error) {
	version, payload, err := domain.Encode(e)
	if err != nil {
		return nil, err
	}
	return domain.Decode(e.EventType(), version, payload)
}

// CheckRoundTrips stores and reads back n random events of every
// registered type and returns the first that changed, as an error.
func CheckRoundTrips(rng *rand.Rand, n int) error {
	for _, typ := range domain.EventTypes() {
		for range n {
			e, err := RandomEvent(typ, rng)
			if err != nil {
				return err
			}
			got, err := RoundTrip(e)
			if err != nil {
				return fmt.Errorf("%s: %w", typ, err)
			}
			if !reflect.DeepEqual(got, e) {
				return fmt.Errorf("%s changed in the log:\n got %+v\nwant %+v", typ, got, e)
			}
		}
	}
	return nil
}
